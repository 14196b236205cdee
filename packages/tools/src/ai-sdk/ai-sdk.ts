import { Tool } from '@sigil/core';
import { ToolBridgeError } from '../errors';
import { requirePeer } from '../optional-peer';
import { argsFromSchema, type JsonSchema, toolName } from '../schema/tool-args';

/** An AI SDK tool: what `tool({ description, inputSchema, execute })` from `ai` returns. */
export interface AISdkToolLike {
  description?: string;
  /** A zod schema, `jsonSchema(…)`, or any schema `ai`'s `asSchema` reads (`parameters` in AI SDK 4). */
  inputSchema?: unknown;
  parameters?: unknown;
  /** Called with the input and `{ toolCallId, messages, abortSignal }`. */
  execute?: (input: any, options: any) => unknown;
}

let calls = 0;

/**
 * An AI SDK `tool({...})` as a Sigil tool named `name` (AI SDK tools are named by their key): its zod
 * schema becomes JSON schema through `ai`'s own `asSchema`, and a call runs its `execute` (a streaming
 * tool's last value is the result).
 * @example const weather = await fromAISdkTool('weather', tool({ description, inputSchema: z.object({ city: z.string() }), execute }));
 */
export async function fromAISdkTool(name: string, tool: AISdkToolLike): Promise<Tool> {
  if (!tool || typeof tool !== 'object') {
    throw new ToolBridgeError(
      `fromAISdkTool("${name}") needs an AI SDK tool({ description, inputSchema, execute }).`,
      {
        code: 'TOOL_BRIDGE_INPUT',
      },
    );
  }
  const execute = tool.execute;
  if (typeof execute !== 'function') {
    throw new ToolBridgeError(
      `AI SDK tool "${name}" has no execute function (a client-side tool), so an agent cannot run it — give it one.`,
      { code: 'TOOL_BRIDGE_INPUT' },
    );
  }
  const schema = tool.inputSchema ?? tool.parameters;
  const { asSchema } = requirePeer<{
    asSchema(schema: unknown): { jsonSchema: JsonSchema | PromiseLike<JsonSchema> };
  }>('ai', 'ai', 'fromAISdkTool');
  const { args, required } = argsFromSchema(
    schema === undefined ? undefined : await asSchema(schema).jsonSchema,
  );
  return new Tool(
    async (values: Record<string, unknown>, { signal }) => {
      const output = await execute(values, {
        toolCallId: `sigil-${++calls}`,
        messages: [],
        abortSignal: signal,
      });
      if (output && typeof (output as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
        let last: unknown;
        for await (const part of output as AsyncIterable<unknown>) last = part;
        return last;
      }
      return output;
    },
    { name: toolName(name), desc: tool.description, args, required },
  );
}

/**
 * Every tool of an AI SDK tool set (`{ weather: tool(…), search: tool(…) }`) as Sigil tools, named by key.
 * @example const agent = new ReAct(sig, { tools: await fromAISdkTools({ weather, search }) });
 */
export function fromAISdkTools(tools: Readonly<Record<string, AISdkToolLike>>): Promise<Tool[]> {
  return Promise.all(Object.entries(tools).map(([name, tool]) => fromAISdkTool(name, tool)));
}
