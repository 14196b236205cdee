import type { ToolCallResult, ToolCalls } from '../custom-types/tool-calls';
import { ToolCalls as ToolCallsValue } from '../custom-types/tool-calls';
import { Tool, type ToolCallOptions, type ToolLike } from './tool';
import { ToolTimeoutError } from './tool-errors';

/** How `executeToolCalls` runs the calls. */
export interface ExecuteToolCallsOptions extends ToolCallOptions {
  /** `'error'` rethrows a `ToolTimeoutError`; by default a timeout is an error result like any failure. */
  onToolTimeout?: 'observation' | 'error';
}

/** Tools by name, from a list of tools (or anything `Tool.from` takes) or a map. */
export function toolsByName(
  tools: readonly ToolLike[] | ReadonlyMap<string, Tool>,
): ReadonlyMap<string, Tool> {
  if (tools instanceof Map) return tools;
  const byName = new Map<string, Tool>();
  for (const item of tools as readonly ToolLike[])
    for (const tool of Tool.from(item)) byName.set(tool.name, tool);
  return byName;
}

/**
 * Runs the calls a model asked for — at once, since a model that makes several calls in one turn (parallel
 * tool calls) expects them to be independent — and returns one result per call, in order. A call to an
 * unknown tool, with invalid arguments or whose tool throws is an error result whose value tells the model
 * what went wrong (`Execution error in search: …`); an aborted `signal` rejects.
 * @example const results = await executeToolCalls(prediction.tool_calls, [search]);
 */
export async function executeToolCalls(
  calls: ToolCalls,
  tools: readonly ToolLike[] | ReadonlyMap<string, Tool>,
  options: ExecuteToolCallsOptions = {},
): Promise<ToolCallResult[]> {
  const byName = toolsByName(tools);
  return Promise.all(
    calls.tool_calls.map(async (call): Promise<ToolCallResult> => {
      const base = { call_id: call.id ?? null, name: call.name };
      const tool = byName.get(call.name);
      if (!tool) return { ...base, value: `Unknown tool: ${call.name}`, is_error: true };
      try {
        return { ...base, value: await tool.call({ ...call.args }, options), is_error: false };
      } catch (error) {
        if (options.signal?.aborted) throw error;
        if (error instanceof ToolTimeoutError && options.onToolTimeout === 'error') throw error;
        const text = error instanceof Error ? error.message : String(error);
        return { ...base, value: `Execution error in ${call.name}: ${text}`, is_error: true };
      }
    }),
  );
}

/** DSPy ReActV2's `_ensure_tool_call_ids`: calls without a provider id get `call_<turn>_<index>`. */
export function withCallIds(calls: ToolCalls, turn: number): ToolCalls {
  return new ToolCallsValue(
    calls.tool_calls.map((call, i) => (call.id ? call : { ...call, id: `call_${turn}_${i}` })),
    calls.tool_call_results,
  );
}
