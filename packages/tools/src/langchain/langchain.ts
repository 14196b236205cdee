import { Tool } from '@sigil/core';
import { ToolBridgeError } from '../errors';
import { requirePeer } from '../optional-peer';
import type { Search } from '../retrieve/retrieve';
import { argsFromSchema, type JsonSchema, toolName } from '../schema/tool-args';

/** A LangChain.js tool: a `StructuredTool` (`tool(fn, { name, schema })`, `DynamicStructuredTool` …). */
export interface LangChainToolLike {
  name: string;
  description?: string;
  /** A zod schema or a JSON schema. */
  schema?: unknown;
  /** Runs the tool on its arguments. */
  invoke(input: unknown, config?: { signal?: AbortSignal }): Promise<unknown>;
}

/** A LangChain.js retriever (`BaseRetriever`, `vectorStore.asRetriever()`). */
export interface LangChainRetrieverLike {
  /** The documents relevant to a query, best first. */
  invoke(query: string, config?: { signal?: AbortSignal }): Promise<readonly { pageContent: string }[]>;
}

/**
 * A LangChain.js `StructuredTool` as a Sigil tool (DSPy's `Tool.from_langchain`): its name, description and
 * schema (zod converted to JSON schema with `@langchain/core`'s own converter); a call runs `tool.invoke`.
 * @example const agent = new ReAct(sig, { tools: [fromLangChainTool(tavilySearch)] });
 */
export function fromLangChainTool(tool: LangChainToolLike): Tool {
  if (!tool || typeof tool.invoke !== 'function' || typeof tool.name !== 'string') {
    throw new ToolBridgeError(
      'fromLangChainTool needs a LangChain StructuredTool (with name, schema and invoke).',
      {
        code: 'TOOL_BRIDGE_INPUT',
      },
    );
  }
  const { args, required } = argsFromSchema(jsonSchemaOf(tool.schema));
  return new Tool(
    async (values: Record<string, unknown>, { signal }) => {
      let result: unknown;
      try {
        result = await tool.invoke(values, { signal });
      } catch (error) {
        // DSPy's wording, so the observation says which tool failed.
        throw new Error(`Failed to call LangChain tool ${tool.name}: ${(error as Error)?.message ?? error}`, {
          cause: error,
        });
      }
      // A tool returning a ToolMessage: its content is the result.
      return result !== null && typeof result === 'object' && 'content' in result && 'tool_call_id' in result
        ? (result as { content: unknown }).content
        : result;
    },
    { name: toolName(tool.name), desc: tool.description, args, required },
  );
}

/**
 * A LangChain.js retriever as a search function `(query, k) => passages` — for a RAG program or a `Retrieve`
 * module — returning the `pageContent` of the first `k` documents.
 * @example const retrieve = new Retrieve(fromLangChainRetriever(vectorStore.asRetriever(5)), { k: 3 });
 */
export function fromLangChainRetriever(retriever: LangChainRetrieverLike): Search {
  if (!retriever || typeof retriever.invoke !== 'function') {
    throw new ToolBridgeError('fromLangChainRetriever needs a LangChain retriever (with invoke(query)).', {
      code: 'TOOL_BRIDGE_INPUT',
    });
  }
  return async (query, k) => (await retriever.invoke(query)).slice(0, k).map((doc) => doc.pageContent);
}

function jsonSchemaOf(schema: unknown): JsonSchema | undefined {
  if (schema === undefined || schema === null) return undefined;
  const record = schema as Record<string, unknown>;
  const isZod = '_def' in record || '_zod' in record || '~standard' in record;
  if (!isZod) return record;
  const { toJsonSchema } = requirePeer<{ toJsonSchema(schema: unknown): JsonSchema }>(
    '@langchain/core/utils/json_schema',
    '@langchain/core',
    'fromLangChainTool',
  );
  return toJsonSchema(schema);
}
