import { BaseAdapter } from '../adapter/adapter';
import { ChatAdapter } from '../adapter/chat-adapter';
import { AdapterParseError } from '../adapter/errors';
import { Prediction, type TraceEntry } from '../data/prediction';
import { InvalidOptionError } from '../errors/sigil-error';
import { ContextWindowExceededError } from '../lm/errors';
import { addUsage, emptyUsage } from '../lm/types';
import { settings } from '../runtime/settings';
import { ANY, STRING } from '../signature/field-type';
import { type InputsOf, type OutputsOf, type SignatureLike, signatureOf } from '../signature/reader';
import { type FieldSpec, inferPrefix, SignatureSpec } from '../signature/signature-spec';
import { signature as stringSignature } from '../signature/string-signature';
import { ChainOfThought, type WithReasoning } from './chain-of-thought';
import { pyRepr } from '../adapter/python-repr';
import { Module, observed } from './module';
import { type ForwardOptions, type InstructionTemplate, Predict, type PredictOptions } from './predict';
import { checkTimeout, Tool, type ToolLike } from './tool';
import { ToolTimeoutError } from './tool-errors';
import type { History } from '../custom-types/history';
import {
  nativeStepSignature,
  nativeTemplate,
  runNativeReAct,
  submitTool,
  type TerminationReason,
} from './react-native';
import { ConfigurationError, ModuleRunError, OutputValidationError, ToolCallError } from './errors';
import { Predictor } from './decorators';
import { checkNumber, COUNT } from '../errors/option-checks';
import { logNotice, logWarning } from '../logging/log';

/** The steps so far, keyed as DSPy keys them: `thought_0`, `tool_name_0`, `tool_args_0`, `observation_0`, … */
export type Trajectory = Record<string, unknown>;

/** What ReAct returns: the trajectory, then the extract step's outputs (`reasoning` and the signature's outputs). */
export type ReActOutputs<S extends SignatureLike> = { trajectory: Trajectory } & WithReasoning<OutputsOf<S>>;

/** One turn of the agent, as the `react` predictor produces it. */
export interface ReActStep {
  next_thought: string;
  next_tool_name: string;
  next_tool_args: Record<string, unknown>;
}

/**
 * How ReAct calls tools: `'text'` (default) is DSPy's ReAct, byte for byte — the model writes
 * `next_tool_name` and `next_tool_args`; `'native'` is DSPy's ReActV2 — the LM's own tool calls (several per
 * turn, run at once), a History of turns, and a `submit` tool that carries the outputs.
 */
export type ToolCallingMode = 'text' | 'native';

/** What a native-tool ReAct returns: the signature's outputs, the episode's History and why it ended. */
export type NativeReActOutputs<S extends SignatureLike> = OutputsOf<S> & {
  history: History;
  termination_reason: TerminationReason;
};

export interface ReActOptions<M extends ToolCallingMode = 'text'> extends PredictOptions {
  /** Tools the agent may call (`finish` is added). */
  tools: readonly ToolLike[];
  /** Turns before the agent is stopped and the outputs are extracted (default 20). */
  maxIters?: number;
  /** Time limit of each tool call, for tools without a `timeoutMs` of their own (default 60 s). */
  toolTimeoutMs?: number;
  /**
   * What a tool timing out does: `'observation'` (default) appends "Execution error in <tool>: the tool did
   * not answer within N ms." to the trajectory and the agent goes on; `'error'` fails the call with
   * `ToolTimeoutError`.
   */
  onToolTimeout?: 'observation' | 'error';
  /**
   * `'native'` for the LM's own tool calls (DSPy's ReActV2). Its predictor then uses
   * `new ChatAdapter({ nativeFunctionCalling: true })` unless `adapter` is given.
   */
  toolCalling?: M;
}

export interface ReActForwardOptions extends ForwardOptions {
  /** Overrides `maxIters` for this call (DSPy's `max_iters=` keyword). */
  maxIters?: number;
  /** Overrides `toolTimeoutMs` for this call. */
  toolTimeoutMs?: number;
}

const trajectorySignatures = new Map<string, SignatureSpec<any, any>>();
let defaultAdapter: ChatAdapter | undefined;

/**
 * A tool-using agent — DSPy's ReAct. Each turn the `react` predictor picks a tool and its arguments; the tool's
 * result (or its error) is appended to the trajectory; `finish` (or `maxIters`) ends the loop, and `extract`
 * (a ChainOfThought over the inputs and the trajectory) produces the signature's outputs.
 * @example const agent = new ReAct(signature('question -> answer'), { tools: [searchWikipedia] });
 * const { answer, trajectory } = await agent.forward({ question: 'Who directed That Darn Cat!?' });
 */
export class ReAct<
  S extends SignatureLike = SignatureLike,
  M extends ToolCallingMode = 'text',
> extends Module<
  InputsOf<S>,
  Prediction<(M extends 'native' ? NativeReActOutputs<S> : ReActOutputs<S>) & object>
> {
  readonly signature: SignatureSpec<InputsOf<S>, OutputsOf<S>>;
  /** See `ReActOptions.toolCalling`. */
  readonly toolCalling: M;
  maxIters: number;
  toolTimeoutMs?: number;
  onToolTimeout: 'observation' | 'error';
  readonly tools: ReadonlyMap<string, Tool>;
  /** The step predictor: `trajectory` → `next_thought`, `next_tool_name`, `next_tool_args` (text mode), or the History and tools → `next_thought`, `tool_calls` (native). */
  @Predictor() readonly react: Predict<SignatureSpec<InputsOf<S> & { trajectory: string }, ReActStep>>;
  /** The text mode's step that reads the outputs from the trajectory (none in native mode: `submit` carries them). */
  @Predictor() readonly extract: M extends 'native'
    ? undefined
    : ChainOfThought<SignatureSpec<InputsOf<S> & { trajectory: string }, OutputsOf<S>>>;

  constructor(signature: S, options: ReActOptions<M>) {
    super();
    const spec = signatureOf(signature) as SignatureSpec<InputsOf<S>, OutputsOf<S>>;
    this.signature = spec;
    checkNumber(options.maxIters, 'maxIters', COUNT, `ReAct(${spec.name})`);
    this.maxIters = options.maxIters ?? 20;
    this.toolTimeoutMs = checkTimeout(options.toolTimeoutMs, `ReAct(${spec.name}): toolTimeoutMs`);
    this.onToolTimeout = options.onToolTimeout ?? 'observation';
    this.toolCalling = (options.toolCalling ?? 'text') as M;
    if (this.toolCalling !== 'text' && this.toolCalling !== 'native') {
      throw new InvalidOptionError(
        `ReAct(${spec.name}): toolCalling must be 'text' or 'native', got ${pyRepr(options.toolCalling)}.`,
        { option: 'toolCalling' },
      );
    }
    const reserved = this.toolCalling === 'native' ? 'submit' : 'finish';
    if (this.onToolTimeout !== 'observation' && this.onToolTimeout !== 'error') {
      throw new InvalidOptionError(
        `ReAct(${spec.name}): onToolTimeout must be 'observation' or 'error', got ${pyRepr(options.onToolTimeout)}.`,
        { option: 'onToolTimeout' },
      );
    }
    const tools = new Map<string, Tool>();
    for (const item of options.tools ?? []) {
      for (const tool of Tool.from(item)) {
        if (tool.name === reserved) {
          throw new ConfigurationError(
            `ReAct(${spec.name}): a tool is named "${reserved}", the name ReAct gives its own tool that ends an ` +
              'episode — rename your tool.',
            { code: 'MODULE_DEFINITION' },
          );
        }
        if (tools.has(tool.name)) {
          throw new ConfigurationError(
            `ReAct(${spec.name}): two tools are named "${tool.name}"; the model could not tell them apart — ` +
              'give each tool its own name.',
            { code: 'MODULE_DEFINITION' },
          );
        }
        tools.set(tool.name, tool);
      }
    }

    const predictOptions: PredictOptions = {
      lm: options.lm,
      adapter: options.adapter,
      config: options.config,
      maxRetries: options.maxRetries,
    };
    if (this.toolCalling === 'native') {
      tools.set('submit', submitTool(spec));
      this.tools = tools;
      this.react = new Predict(nativeStepSignature(spec) as any, {
        ...predictOptions,
        adapter: options.adapter ?? new ChatAdapter({ nativeFunctionCalling: true }),
      });
      this.react.instructionTemplate = nativeTemplate(spec, () => [...this.tools.keys()]);
      this.react.callsPerForward = { expected: 2, max: Math.max(1, this.maxIters) + 1 };
      this.react.displayName = 'ReAct';
      this.extract = undefined as this['extract'];
      return;
    }
    const inputs = spec.inputNames.map((n) => `\`${n}\``).join(', ');
    const outputs = spec.outputNames.map((n) => `\`${n}\``).join(', ');
    tools.set(
      'finish',
      new Tool(() => 'Completed.', {
        name: 'finish',
        desc: `Marks the task as complete. That is, signals that all information for producing the outputs, i.e. ${outputs}, are now available to be extracted.`,
        args: {},
      }),
    );
    this.tools = tools;

    // DSPy's wording, line for line (dspy/predict/react.py). The task's instructions are the learnable
    // part; the scaffold and the tool list are rendered around them at prompt time, so an optimizer can
    // change the task instruction but never lose a tool.
    const scaffold = [
      `You are an Agent. In each episode, you will be given the fields ${inputs} as input. And you can see your past trajectory so far.`,
      `Your goal is to use one or more of the supplied tools to collect any necessary information for producing ${outputs}.\n`,
      'To do this, you will interleave next_thought, next_tool_name, and next_tool_args in each turn, and also when finishing the task.',
      'After each tool call, you receive a resulting observation, which gets appended to your trajectory.\n',
      'When writing next_thought, you may reason about the current situation and plan for future steps.',
      'When selecting the next_tool_name and its next_tool_args, the tool must be one of:\n',
    ];
    const template: InstructionTemplate = {
      render: (task) =>
        [
          ...(task ? [`${task}\n`] : []),
          ...scaffold,
          ...[...this.tools.values()].map((tool, i) => `(${i + 1}) ${tool}`),
          'When providing `next_tool_args`, the value inside the field must be in JSON format',
        ].join('\n'),
      extract: (text) => {
        const at = text.indexOf(scaffold[0]);
        if (at < 0) return text;
        const task = text.slice(0, at).replace(/\n\n$/, '');
        // Another rendering (an older DSPy's line breaks, an optimizer's rewrite): keep it as it is.
        return template.render(task) === text ? task : undefined;
      },
    };

    const trajectory = field('trajectory', 'input', STRING);
    const reactFields = [
      ...spec.inputFields,
      trajectory,
      field('next_thought', 'output', STRING),
      field(
        'next_tool_name',
        'output',
        Object.freeze({ kind: 'literal', values: Object.freeze([...tools.keys()]) }),
      ),
      field('next_tool_args', 'output', Object.freeze({ kind: 'dict', values: ANY })),
    ];
    this.react = new Predict(
      new SignatureSpec(spec.name, reactFields, spec.instructions) as any,
      predictOptions,
    );
    this.react.instructionTemplate = template;
    // For estimates: a typical episode is one tool call and `finish`; at most `maxIters` steps.
    this.react.callsPerForward = { expected: 2, max: Math.max(1, this.maxIters) };
    const fallback = new SignatureSpec(
      spec.name,
      [...spec.inputFields, trajectory, ...spec.outputFields],
      spec.instructions,
      spec.target,
      spec.validates,
    );
    const extract = new ChainOfThought(fallback as any, predictOptions);
    extract.predict.displayName = 'ReAct.extract';
    this.extract = extract as this['extract'];
    this.react.displayName = 'ReAct';
  }

  forward(
    inputs: InputsOf<S>,
    options: ReActForwardOptions = {},
  ): Promise<Prediction<(M extends 'native' ? NativeReActOutputs<S> : ReActOutputs<S>) & object>> {
    return observed(`ReAct(${this.signature.name})`, inputs, () =>
      this.run(inputs as Record<string, unknown>, options),
    ) as Promise<any>;
  }

  /** Closes what its tools hold (an MCP connection), once per `close` function; `program.close()` calls it. */
  async closeOwn(): Promise<void> {
    const hooks = new Set<() => void | Promise<void>>();
    for (const tool of this.tools.values()) if (tool.close) hooks.add(tool.close);
    await Promise.all([...hooks].map((close) => close()));
  }

  /**
   * Called when the prompt no longer fits the model's context: drops the oldest tool call (its four entries).
   * Override it for other strategies.
   */
  truncateTrajectory(trajectory: Trajectory): Trajectory {
    const keys = Object.keys(trajectory);
    if (keys.length < 4) {
      throw new ModuleRunError(
        `ReAct(${this.signature.name}): the prompt exceeds the model's context window, but the trajectory ` +
          'cannot be truncated because it holds only one tool call.',
        { errors: [], code: 'REACT_CONTEXT_WINDOW' },
      );
    }
    for (const key of keys.slice(0, 4)) delete trajectory[key];
    return trajectory;
  }

  private async run(inputs: Record<string, unknown>, options: ReActForwardOptions) {
    const { maxIters = this.maxIters, toolTimeoutMs, ...forwardOptions } = options;
    checkNumber(maxIters, 'maxIters', COUNT, `ReAct(${this.signature.name}).forward`);
    const toolOptions = {
      signal: forwardOptions.config?.signal ?? settings().lmOptions?.signal,
      timeoutMs:
        checkTimeout(toolTimeoutMs, `ReAct(${this.signature.name}).forward: toolTimeoutMs`) ??
        this.toolTimeoutMs,
    };
    if (this.toolCalling === 'native') {
      const agent = {
        label: `ReAct(${this.signature.name})`,
        react: this.react,
        tools: this.tools,
        onToolTimeout: this.onToolTimeout,
      };
      return runNativeReAct(agent, inputs, maxIters, toolOptions, forwardOptions);
    }
    const trajectory: Trajectory = {};
    const calls: Prediction[] = [];
    for (let idx = 0; idx < maxIters; idx++) {
      let step: Prediction<ReActStep>;
      try {
        step = await this.callWithTruncation(this.react, trajectory, inputs, forwardOptions);
      } catch (error) {
        if (!(error instanceof AdapterParseError || error instanceof OutputValidationError)) throw error;
        logWarning(
          'SIGIL_REACT_INVALID_TOOL',
          `ReAct(${this.signature.name}): ending the trajectory, the agent failed to select a valid tool: ${error.message}`,
        );
        break;
      }
      calls.push(step);
      const name = step.next_tool_name;
      const args = step.next_tool_args ?? {};
      trajectory[`thought_${idx}`] = step.next_thought;
      trajectory[`tool_name_${idx}`] = name;
      trajectory[`tool_args_${idx}`] = args;
      try {
        const tool = this.tools.get(name);
        if (!tool) throw new ToolCallError(`there is no tool named "${name}".`, { tool: name });
        trajectory[`observation_${idx}`] = await tool.call(args, toolOptions);
      } catch (error) {
        if (toolOptions.signal?.aborted) throw error;
        if (error instanceof ToolTimeoutError && this.onToolTimeout === 'error') throw error;
        trajectory[`observation_${idx}`] = `Execution error in ${name}: ${errorText(error)}`;
        // The model sees the failure as an observation; whoever runs the service sees it in the log.
        logNotice(
          'SIGIL_TOOL_FAILED',
          `ReAct(${this.signature.name}): tool "${name}" failed: ${errorText(error)}`,
        );
      }
      if (name === 'finish') break;
    }
    const extractor = this.extract as ChainOfThought<any> as {
      forward(inputs: any, options?: ForwardOptions): Promise<Prediction<Record<string, unknown>>>;
    };
    const extract = await this.callWithTruncation(extractor, trajectory, inputs, forwardOptions);
    calls.push(extract);
    return Prediction.from({ trajectory, ...extract.toJSON() }, combinedMeta(calls)) as unknown as Prediction<
      ReActOutputs<S> & object
    >;
  }

  private async callWithTruncation<P>(
    module: { forward(inputs: any, options?: ForwardOptions): Promise<P> },
    trajectory: Trajectory,
    inputs: Record<string, unknown>,
    options: ForwardOptions,
  ): Promise<P> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await module.forward({ ...inputs, trajectory: this.formatTrajectory(trajectory) }, options);
      } catch (error) {
        if (!(error instanceof ContextWindowExceededError) || attempt >= 3) throw error;
        logWarning(
          'SIGIL_REACT_TRUNCATED',
          `ReAct(${this.signature.name}): the trajectory exceeded the context window; dropping the oldest tool call.`,
        );
        this.truncateTrajectory(trajectory);
      }
    }
  }

  /** As DSPy: the adapter's user-message content for a string signature `thought_0, … -> x`. */
  private formatTrajectory(trajectory: Trajectory): string {
    const configured = settings().adapter ?? this.react.adapter;
    const adapter = configured instanceof BaseAdapter ? configured : (defaultAdapter ??= new ChatAdapter());
    const keys = Object.keys(trajectory).join(', ');
    let spec = trajectorySignatures.get(keys);
    if (!spec) trajectorySignatures.set(keys, (spec = stringSignature(`${keys} -> x`)));
    return adapter.userContent(spec, trajectory, '', false);
  }
}

function field(name: string, io: 'input' | 'output', type: FieldSpec['type']): FieldSpec {
  return Object.freeze({
    name,
    io,
    type,
    desc: undefined,
    prefix: inferPrefix(name),
    constraints: Object.freeze([]),
  });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function combinedMeta(calls: readonly Prediction[]) {
  const usage = emptyUsage();
  let cost = 0;
  const trace: TraceEntry[] = [];
  for (const call of calls) {
    addUsage(usage, call.usage);
    cost += call.cost;
    trace.push(...call.trace);
  }
  return { usage, cost, trace };
}
