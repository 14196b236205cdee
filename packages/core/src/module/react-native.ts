/**
 * ReAct with native tool calls — DSPy's ReActV2: each turn the `react` predictor (the inputs, a History of
 * earlier turns and the tools → `next_thought`, `tool_calls: ToolCalls`) asks for one or more calls, run at
 * once and kept in the History with their results; the `submit` tool carries the outputs. When the turns run
 * out, one more turn is asked with `tool_choice` set to `submit`.
 */
import { pySchema } from '../adapter/json-schema';
import { parseValue } from '../adapter/parse-value';
import { AdapterParseError } from '../adapter/errors';
import { History, type HistoryMessage } from '../custom-types/history';
import { ToolCalls } from '../custom-types/tool-calls';
import { Prediction } from '../data/prediction';
import { ContextWindowExceededError } from '../lm/errors';
import { addUsage, emptyUsage } from '../lm/types';
import { HISTORY, STRING, TOOL, TOOL_CALLS } from '../signature/field-type';
import { type FieldSpec, inferPrefix, SignatureSpec } from '../signature/signature-spec';
import { OutputValidationError } from './errors';
import { ReActNoSubmitError } from './react-errors';
import type { ForwardOptions, InstructionTemplate, Predict } from './predict';
import { Tool, type ToolCallOptions } from './tool';
import { executeToolCalls, withCallIds } from './tool-calls-run';

/** Why a native ReAct episode ended (DSPy's `termination_reason`). */
export type TerminationReason = 'submit' | 'forced_submit';

function field(name: string, io: 'input' | 'output', type: FieldSpec['type'], desc?: string): FieldSpec {
  return Object.freeze({
    name,
    io,
    type,
    desc,
    prefix: inferPrefix(name),
    constraints: Object.freeze([]),
  });
}

/**
 * The step signature: every input made optional (later turns send none; they are in the History), then
 * `history`, `tools`, `next_thought` and `tool_calls`, as DSPy's ReActV2 builds it.
 */
export function nativeStepSignature(spec: SignatureSpec<any, any>): SignatureSpec<any, any> {
  const inputs = spec.inputFields.map((f) =>
    f.type.kind === 'optional'
      ? f
      : Object.freeze({
          ...f,
          type: Object.freeze({ kind: 'optional', inner: f.type, spelling: 'T | None' }),
        }),
  ) as FieldSpec[];
  return new SignatureSpec(
    spec.name,
    [
      ...inputs,
      field('history', 'input', HISTORY),
      field('tools', 'input', Object.freeze({ kind: 'array', items: TOOL })),
      field('next_thought', 'output', STRING),
      field('tool_calls', 'output', TOOL_CALLS),
    ],
    spec.instructions,
  );
}

/** DSPy ReActV2's instructions around the learnable task instructions, with the current tool names. */
export function nativeTemplate(
  spec: SignatureSpec<any, any>,
  toolNames: () => string[],
): InstructionTemplate {
  const inputs = spec.inputNames.map((n) => `\`${n}\``).join(', ');
  const outputs = spec.outputNames.map((n) => `\`${n}\``).join(', ');
  const scaffold = () =>
    [
      `You are an Agent. Use the supplied tools to produce ${outputs} from ${inputs}.`,
      'Call tools when more information is needed.',
      `When the final answer is ready, call \`submit\` with ${outputs}.`,
      `The available tools are: ${toolNames()
        .map((n) => `\`${n}\``)
        .join(', ')}.`,
    ].join('\n');
  const template: InstructionTemplate = {
    // Python's "\n".join([...]).strip(): an empty task leaves no blank first line.
    render: (task) => `${task}\n${scaffold()}`.trim(),
    extract: (text) => {
      const rest = scaffold();
      if (!text.endsWith(rest)) return text;
      const task = text.slice(0, text.length - rest.length).replace(/\n$/, '');
      return template.render(task) === text ? task : undefined;
    },
  };
  return template;
}

/** DSPy ReActV2's `submit` tool: its arguments are the outputs, each with its type's JSON schema. */
export function submitTool(spec: SignatureSpec<any, any>): Tool {
  const args: Record<string, Record<string, unknown>> = {};
  for (const f of spec.outputFields) args[f.name] = pySchema(f.type);
  return new Tool(
    (values: Record<string, unknown>) => {
      const out: Record<string, unknown> = {};
      for (const f of spec.outputFields) out[f.name] = parseValue(values[f.name], f.type);
      return out;
    },
    { name: 'submit', desc: 'Submit the final outputs for the task.', args },
  );
}

/** What the native loop needs of its ReAct. */
export interface NativeAgent {
  readonly label: string;
  readonly react: Predict<any>;
  readonly tools: ReadonlyMap<string, Tool>;
  readonly onToolTimeout: 'observation' | 'error';
}

/** Runs one native episode. */
export async function runNativeReAct(
  agent: NativeAgent,
  inputs: Record<string, unknown>,
  maxIters: number,
  toolOptions: ToolCallOptions,
  forwardOptions: ForwardOptions,
): Promise<Prediction> {
  const tools = [...agent.tools.values()];
  const calls: Prediction[] = [];
  let history = new History();
  let pending: Record<string, unknown> = { ...inputs };
  let reason = 'max_iters';

  const turn = async (index: number, options: ForwardOptions, onlySubmit: boolean) => {
    const step = (await agent.react.forward({ ...pending, history, tools }, options)) as Prediction<{
      next_thought?: string | null;
      tool_calls?: ToolCalls | null;
    }>;
    calls.push(step);
    let asked = step.tool_calls instanceof ToolCalls ? step.tool_calls : new ToolCalls();
    if (onlySubmit) asked = new ToolCalls(asked.tool_calls.filter((call) => call.name === 'submit'));
    if (asked.tool_calls.length === 0) return { empty: true as const };
    asked = withCallIds(asked, index);
    const results = await executeToolCalls(asked, agent.tools, {
      ...toolOptions,
      onToolTimeout: agent.onToolTimeout,
    });
    const submitted = results.find((r, i) => asked.tool_calls[i].name === 'submit' && !r.is_error);
    const final = submitted?.value as Record<string, unknown> | undefined;
    const event: Record<string, unknown> = { ...pending };
    if (step.next_thought !== undefined && step.next_thought !== null) event.next_thought = step.next_thought;
    event.tool_calls = asked.withResults(results);
    if (final) Object.assign(event, final);
    history = new History([...history.messages, event as HistoryMessage]);
    pending = {};
    return { final };
  };

  for (let i = 0; i < maxIters; i++) {
    let outcome: Awaited<ReturnType<typeof turn>>;
    try {
      outcome = await turn(i, forwardOptions, false);
    } catch (error) {
      if (error instanceof AdapterParseError || error instanceof OutputValidationError) {
        reason = 'parse_error';
        break;
      }
      if (error instanceof ContextWindowExceededError) {
        reason = 'context_window_exceeded';
        break;
      }
      throw error;
    }
    if ('empty' in outcome) {
      reason = 'empty_tool_calls';
      break;
    }
    if (outcome.final) return finish(outcome.final, 'submit');
  }
  // As DSPy: one more turn that must call `submit`.
  const forced: ForwardOptions = {
    ...forwardOptions,
    config: {
      ...forwardOptions.config,
      toolChoice: { type: 'function', function: { name: 'submit' } },
    },
  };
  try {
    const outcome = await turn(maxIters, forced, true);
    if (!('empty' in outcome) && outcome.final) return finish(outcome.final, 'forced_submit');
  } catch (error) {
    if (!(
      error instanceof AdapterParseError ||
      error instanceof OutputValidationError ||
      error instanceof ContextWindowExceededError
    ))
      throw error;
  }
  throw new ReActNoSubmitError(
    `${agent.label}: the agent ended (${reason}) without calling submit with its outputs, even when asked to. ` +
      "The episode is in the error's history; give it more turns (maxIters) or a model that follows tool calls.",
    { history, reason },
  );

  function finish(final: Record<string, unknown>, why: TerminationReason): Prediction {
    const usage = emptyUsage();
    let cost = 0;
    const trace = [];
    for (const call of calls) {
      addUsage(usage, call.usage);
      cost += call.cost;
      trace.push(...call.trace);
    }
    return Prediction.from({ ...final, history, termination_reason: why }, { usage, cost, trace });
  }
}
