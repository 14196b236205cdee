/**
 * Native function calling, as DSPy's `Adapter._call_preprocess` / `_call_postprocess` do it: a signature
 * with a tools input (`Tool` or `list[Tool]`) and a `ToolCalls` output, through an adapter that uses native
 * function calling and an LM that supports it, sends the tools as the request's `tools` and formats the
 * prompt without those two fields; the reply's `tool_calls` become the `ToolCalls` output.
 */
import { functionDefinition, isFunctionTool, ToolCalls } from '../custom-types/tool-calls';
import type { CallOptions, Completion } from '../lm/types';
import { SignatureError } from '../signature/errors';
import { isToolCallsType, isToolsType } from '../signature/field-type';
import type { SignatureSpec } from '../signature/signature-spec';
import type { Adapter, AdapterTarget } from './adapter';
import { AdapterParseError } from './errors';
import { readJson } from './json-reader';
import { applyOutputDefaults } from './output-defaults';

/** A signature's tools input and `ToolCalls` output, by name. */
interface ToolFields {
  readonly input?: string;
  readonly output?: string;
  /** The signature without both fields (what the prompt shows with native function calling). */
  readonly rest?: SignatureSpec<any, any>;
}

const fieldsCache = new WeakMap<SignatureSpec<any, any>, ToolFields>();

/** The tool fields of a signature (cached per signature). */
export function toolFieldsOf(signature: SignatureSpec<any, any>): ToolFields {
  let found = fieldsCache.get(signature);
  if (!found) {
    const input = signature.inputFields.find((f) => isToolsType(f.type))?.name;
    const output = signature.outputFields.find((f) => isToolCallsType(f.type))?.name;
    let rest: SignatureSpec<any, any> | undefined;
    if (input !== undefined && output !== undefined) rest = signature.delete(output).delete(input);
    found = { input, output, rest };
    fieldsCache.set(signature, found);
  }
  return found;
}

/** How one predictor call uses native function calling (or does not). */
export interface ToolPlan {
  /** The signature to format and parse with. */
  readonly signature: SignatureSpec<any, any>;
  /** `tools` (and `parallel_tool_calls`) for the request; `{}` when not native. */
  readonly callOptions: Partial<CallOptions>;
  /** The `ToolCalls` output filled from the reply's tool calls, when native. */
  readonly outputField?: string;
  /** The signature as declared. */
  readonly original: SignatureSpec<any, any>;
}

/** Call options DSPy drops when an adapter does not use native function calling. */
const NATIVE_ONLY = ['tools', 'toolChoice'] as const;

/**
 * DSPy's `_call_preprocess` for tools: the signature and request options of a call with `adapter`, given
 * the call's inputs and options. Signatures without tool fields pass through unchanged.
 */
export function planToolCall(
  adapter: Adapter,
  signature: SignatureSpec<any, any>,
  inputs: Record<string, unknown>,
  target: AdapterTarget,
  options: Partial<CallOptions>,
): ToolPlan {
  const fields = toolFieldsOf(signature);
  const plain: ToolPlan = { signature, callOptions: {}, original: signature };
  if (fields.input === undefined && fields.output === undefined) return plain;
  if (!adapter.nativeFunctionCalling) {
    // As DSPy: without native function calling, tool options are not sent.
    const cleared: Partial<CallOptions> = {};
    for (const key of NATIVE_ONLY) if (options[key] !== undefined) cleared[key] = undefined;
    if (options.extraBody && 'parallel_tool_calls' in options.extraBody) {
      const { parallel_tool_calls: _dropped, ...extraBody } = options.extraBody;
      cleared.extraBody = extraBody;
    }
    return { ...plain, callOptions: cleared };
  }
  if (fields.output !== undefined && fields.input === undefined) {
    throw new SignatureError(
      `Signature "${signature.name}": output field "${fields.output}" receives tool calls, but no input holds ` +
        'the tools — add an input of type [Tool] (list[Tool]).',
      { signature: signature.name, field: fields.output },
    );
  }
  if (fields.output === undefined || target.supportsFunctionCalling === false) return plain;
  const given = inputs[fields.input!];
  const tools = given === undefined || given === null ? [] : Array.isArray(given) ? given : [given];
  const definitions = tools.map((tool, i) => {
    if (!isFunctionTool(tool)) {
      throw new SignatureError(
        `Signature "${signature.name}": input "${fields.input}" item ${i} is not a Tool — pass Tool instances ` +
          '(new Tool(fn, { name, desc, args })).',
        { signature: signature.name, field: fields.input! },
      );
    }
    return functionDefinition(tool);
  });
  const callOptions: Partial<CallOptions> = { tools: definitions };
  const parallel = adapter.parallelToolCalls;
  if (parallel !== undefined && options.extraBody?.parallel_tool_calls === undefined) {
    callOptions.extraBody = { ...options.extraBody, parallel_tool_calls: parallel };
  }
  return { signature: fields.rest!, callOptions, outputField: fields.output, original: signature };
}

/**
 * DSPy's `_call_postprocess` for a native tool call: the text parsed with the planned signature (a reply
 * of only tool calls needs no text), the declared outputs it lacks set to their defaults or `null`, and
 * the reply's tool calls as the `ToolCalls` output.
 */
export function parseToolCompletion(
  plan: ToolPlan,
  completion: Completion,
  parse: (signature: SignatureSpec<any, any>, text: string) => Record<string, unknown>,
  adapterName: string,
): Record<string, unknown> {
  const calls = completion.toolCalls?.length ? completion.toolCalls : undefined;
  const field = plan.outputField;
  let values: Record<string, unknown>;
  if (completion.text && !(calls && field)) values = parse(plan.signature, completion.text);
  else if (calls && field) {
    try {
      values =
        completion.text && plan.signature.outputFields.length > 0
          ? parse(plan.signature, completion.text)
          : {};
    } catch (error) {
      if (!(error instanceof AdapterParseError)) throw error;
      values = {};
    }
  } else {
    throw new AdapterParseError(
      `${adapterName}: the LM returned an empty reply (no text and no tool calls) for signature "${plan.original.name}".`,
      {
        signature: plan.original.name,
        adapter: adapterName,
        completion: '',
        found: [],
        missing: [...plan.original.outputNames],
        code: 'ADAPTER_NO_COMPLETION',
      },
    );
  }
  applyOutputDefaults(plan.original, values);
  for (const name of plan.original.outputNames) if (!(name in values)) values[name] = null;
  if (calls && field) {
    // As DSPy: arguments are read with json_repair, so slightly broken JSON still gives them.
    values[field] = ToolCalls.from(
      calls.map((call) => ({ id: call.id || null, name: call.function.name, args: argumentsOf(call) })),
    );
  }
  return values;
}

function argumentsOf(call: { function: { arguments: string } }): Record<string, unknown> {
  const text = call.function.arguments;
  if (!text || text.trim() === '') return {};
  const value = readJson(text);
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
