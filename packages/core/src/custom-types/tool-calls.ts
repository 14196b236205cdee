/**
 * DSPy's `dspy.ToolCalls` (an output type: the function calls a model asked for) and the description of a
 * callable tool that adapters need (its name, description and argument schemas) — the data only: running
 * tools is the module layer's (`Tool`, `executeToolCalls`).
 */
import { ToolCallsError } from './errors';

/** One function call the model asked for: DSPy's `ToolCalls.ToolCall`. */
export interface ToolCallItem {
  /** The provider's call id (`call_…`), which a tool result must name; absent for text-mode calls. */
  readonly id?: string | null;
  readonly name: string;
  readonly args: Readonly<Record<string, unknown>>;
}

/** What one tool call gave back: DSPy's `ToolCallResults.ToolCallResult`. */
export interface ToolCallResult {
  /** The id of the call it answers. */
  readonly call_id?: string | null;
  readonly name: string;
  readonly value: unknown;
  readonly is_error?: boolean;
}

/** A marker that a class describes function tools (Sigil's `Tool`), so field types can name it. */
export const FUNCTION_TOOL = Symbol.for('sigil.function-tool');

/** What an adapter reads of a tool: the parts of its OpenAI function definition. */
export interface FunctionToolLike {
  readonly name: string;
  readonly desc?: string;
  /** The JSON schema of each argument. */
  readonly args: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Required argument names (default: those whose schema has no `default`, as DSPy). */
  readonly required?: readonly string[];
}

/** True for an instance of a class marked with {@link FUNCTION_TOOL} (a `Tool`). */
export function isFunctionTool(value: unknown): value is FunctionToolLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value.constructor as { [FUNCTION_TOOL]?: boolean } | undefined)?.[FUNCTION_TOOL] === true
  );
}

/** DSPy's `format_as_litellm_function_call`: the tool as one entry of the request's `tools` list. */
export function functionDefinition(tool: FunctionToolLike): Record<string, unknown> {
  const required = tool.required ?? Object.keys(tool.args).filter((k) => !('default' in tool.args[k]));
  return {
    type: 'function',
    function: {
      name: tool.name,
      description: tool.desc ?? '',
      parameters: { type: 'object', properties: tool.args, required: [...required] },
    },
  };
}

const DESCRIPTION =
  'Tool calls must be a JSON object with `tool_calls`, a list of calls. ' +
  'Each call must include `name` and `args`. ' +
  'Example: {"tool_calls": [{"name": "search", "args": {"query": "cats"}}]}';

/**
 * The function calls a model asked for — DSPy's `dspy.ToolCalls`, as an output field's type. With native
 * function calling they come from the reply's `tool_calls`; otherwise the model writes them as JSON.
 * @example
 * class Step { @Input() readonly question!: string; @Input({ type: [Tool] }) readonly tools!: Tool[];
 *   @Output() tool_calls!: ToolCalls; }
 */
export class ToolCalls {
  /** The calls, in the order the model made them. */
  readonly tool_calls: readonly ToolCallItem[];
  /** Their results, once run (kept in a History turn so the next prompt shows them). */
  readonly tool_call_results?: readonly ToolCallResult[];

  constructor(calls: readonly ToolCallItem[] = [], results?: readonly ToolCallResult[]) {
    this.tool_calls = Object.freeze(calls.map((call) => Object.freeze({ ...call })));
    if (results) this.tool_call_results = Object.freeze(results.map((r) => Object.freeze({ ...r })));
  }

  /** DSPy's `ToolCalls.description()`, printed in the field list when the model writes calls as text. */
  static description(): string {
    return DESCRIPTION;
  }

  /**
   * A ToolCalls from what DSPy accepts: a ToolCalls, `{ tool_calls: [...] }`, a list of calls, or one call;
   * each call `{ name, args }`, `{ name, arguments }` or the provider's `{ id, function: { name, arguments } }`
   * (arguments as JSON text or an object).
   */
  static from(value: unknown): ToolCalls {
    if (value instanceof ToolCalls) return value;
    if (Array.isArray(value)) return new ToolCalls(value.map(normalizeCall));
    if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (Array.isArray(record.tool_calls)) {
        const results = record.tool_call_results;
        return new ToolCalls(
          record.tool_calls.map(normalizeCall),
          Array.isArray(results) ? (results as ToolCallResult[]) : undefined,
        );
      }
      if (isCallShaped(record)) return new ToolCalls([normalizeCall(record)]);
    }
    throw new ToolCallsError(
      `Received invalid value for ToolCalls: ${safeText(value)}. Expected { tool_calls: [{ name, args }] }.`,
    );
  }

  /** The same calls with their results attached. */
  withResults(results: readonly ToolCallResult[]): ToolCalls {
    return new ToolCalls(this.tool_calls, results);
  }

  /** DSPy's serialisation: `{ tool_calls: [{ name, args }] }` (and the results when there are). */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {
      tool_calls: this.tool_calls.map((call) => ({ name: call.name, args: call.args })),
    };
    if (this.tool_call_results !== undefined) out.tool_call_results = this.tool_call_results;
    return out;
  }
}

/** True for a value DSPy reads as a call: `{ name, args }`, `{ name, arguments }` or `{ function }`. */
function isCallShaped(value: Record<string, unknown>): boolean {
  return ('name' in value && ('args' in value || 'arguments' in value)) || 'function' in value;
}

function normalizeCall(raw: unknown): ToolCallItem {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ToolCallsError(`Received invalid tool call value for ToolCalls: ${safeText(raw)}.`);
  }
  const data = raw as Record<string, unknown>;
  const fn = data.function as Record<string, unknown> | undefined;
  const name = fn ? (fn.name ?? data.name) : data.name;
  let args: unknown = fn ? (fn.arguments ?? {}) : (data.args ?? data.arguments ?? {});
  if (typeof args === 'string') args = parseArguments(args);
  if (args === null || typeof args !== 'object' || Array.isArray(args)) args = {};
  if (typeof name !== 'string' || name === '') {
    throw new ToolCallsError(`A tool call has no function name: ${safeText(raw)}.`);
  }
  const id = (data.id ?? data.call_id) as string | null | undefined;
  return { id: typeof id === 'string' ? id : null, name, args: args as Record<string, unknown> };
}

/** Arguments sent as JSON text; text that is not JSON gives no arguments (the tool then says what is missing). */
function parseArguments(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

function safeText(value: unknown): string {
  try {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    return String(value);
  }
}
