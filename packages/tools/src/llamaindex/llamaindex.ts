import { Tool } from '@sigil/core';
import { ToolBridgeError } from '../errors';
import type { Search } from '../retrieve/retrieve';
import { argsFromSchema, type JsonSchema, toolName } from '../schema/tool-args';

/** A LlamaIndex.TS tool (`FunctionTool.from(fn, { name, description, parameters })`, a query-engine tool …). */
export interface LlamaIndexToolLike {
  metadata: { name: string; description?: string; parameters?: JsonSchema };
  /** Runs the tool on its arguments. */
  call?(input: unknown): unknown;
}

/** A LlamaIndex.TS retriever (`index.asRetriever({ similarityTopK })`). */
export interface LlamaIndexRetrieverLike {
  /** The nodes relevant to a query, best first. */
  retrieve(params: { query: string } | string): Promise<readonly LlamaIndexNodeWithScore[]>;
}

/** A retrieved node, as LlamaIndex.TS returns it (its text through `getContent()`, or `text`). */
export interface LlamaIndexNodeWithScore {
  node: {
    /** The node's text (LlamaIndex's `MetadataMode` as argument). */
    getContent?(mode?: unknown): string;
    text?: string;
  };
}

/**
 * A LlamaIndex.TS tool as a Sigil tool: its metadata's name, description and JSON-schema parameters; a call
 * runs `tool.call(args)`. Read through the shape LlamaIndex's tools have, so no LlamaIndex import is needed.
 * @example const agent = new ReAct(sig, { tools: [fromLlamaIndexTool(queryEngineTool)] });
 */
export function fromLlamaIndexTool(tool: LlamaIndexToolLike): Tool {
  const call = tool?.call;
  if (!tool?.metadata?.name || typeof call !== 'function') {
    throw new ToolBridgeError('fromLlamaIndexTool needs a LlamaIndex tool (with metadata.name and call()).', {
      code: 'TOOL_BRIDGE_INPUT',
    });
  }
  const { args, required } = argsFromSchema(tool.metadata.parameters);
  return new Tool(async (values: Record<string, unknown>) => call.call(tool, values), {
    name: toolName(tool.metadata.name),
    desc: tool.metadata.description,
    args,
    required,
  });
}

/**
 * A LlamaIndex.TS retriever as a search function `(query, k) => passages` (each node's text, metadata left
 * out), for a RAG program or a `Retrieve` module.
 * @example const retrieve = new Retrieve(fromLlamaIndexRetriever(index.asRetriever({ similarityTopK: 5 })));
 */
export function fromLlamaIndexRetriever(retriever: LlamaIndexRetrieverLike): Search {
  if (!retriever || typeof retriever.retrieve !== 'function') {
    throw new ToolBridgeError(
      'fromLlamaIndexRetriever needs a LlamaIndex retriever (with retrieve({ query })).',
      {
        code: 'TOOL_BRIDGE_INPUT',
      },
    );
  }
  return async (query, k) =>
    (await retriever.retrieve({ query })).slice(0, k).map(({ node }) =>
      // LlamaIndex's MetadataMode.NONE: the text alone.
      typeof node.getContent === 'function' ? node.getContent('NONE') : String(node.text ?? ''),
    );
}
