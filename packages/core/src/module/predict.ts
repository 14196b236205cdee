import type { Adapter, Demo, ParseContext } from '../adapter/adapter';
import { ChatAdapter } from '../adapter/chat-adapter';
import { AdapterParseError } from '../adapter/errors';
import { parseToolCompletion, planToolCall } from '../adapter/native-tools';
import { Prediction } from '../data/prediction';
import type { CallOptions, ChatMessage, LanguageModel, LMResponse, Usage } from '../lm/types';
import { addUsage, emptyUsage } from '../lm/types';
import { instrument, observeSync, observing } from '../runtime/callbacks';
import { activeUsageTracker, rememberUsage, UsageTracker } from '../runtime/usage-tracker';
import { settings } from '../runtime/settings';
import { type InputsOf, type OutputsOf, type SignatureLike, signatureOf } from '../signature/reader';
import type { SignatureSpec } from '../signature/signature-spec';
import { ConfigurationError, OutputValidationError } from './errors';
import type { ParameterHandle } from '../persist/parameter';
import { declaredPredictors, Module } from './module';
import { checkInputs } from './input-check';
import { predictorHandles } from './predictor-state';
import type { Learnable } from './walk';
import { callThrough, streamThrough, unwrapLM } from '../lm/middleware';
import type { FieldStream } from '../adapter/field-stream';
import { consumeStream, eitherSignal } from './stream-call';
import { describeChat } from '../runtime/gen-ai';
import { checkNumber, COUNT } from '../errors/option-checks';
import { warnIfLargePrompt } from './prompt-size';

declare module './module' {
  interface Module {
    /**
     * Every declared leaf predictor with its stable dotted path (`respond.predict`), in declaration order
     * (DSPy's `named_predictors()`). To change their state, use `parameters()`.
     */
    namedPredictors(): [string, Predict][];
  }
}

Module.prototype.namedPredictors = function namedPredictors(this: Module) {
  return declaredPredictors(this) as [string, Predict][];
};

/** Options of a Predict (and of modules built on it). */
export interface PredictOptions {
  /** The LM for this predictor only; otherwise the one in `settings()`. */
  lm?: LanguageModel;
  adapter?: Adapter;
  /** LM options for every call of this predictor (temperature, n, maxTokens…). */
  config?: Partial<CallOptions>;
  /** Retries that feed a parse or validation failure back to the model (default: settings, else 2). */
  maxRetries?: number;
  /** Check each input against its field's type before calling the LM (default: settings, else true). */
  validateInputs?: boolean;
}

/** How a module renders a predictor's learnable instructions into its prompt's (see `Predict.instructionTemplate`). */
export interface InstructionTemplate {
  /** The prompt's instructions for the learnable `task` instructions. */
  render(task: string): string;
  /**
   * The learnable part of instructions given in full (a saved file's text), the text itself when it holds
   * only a task's instructions, or undefined when it is rendered some other way — then it is used verbatim.
   */
  extract(text: string): string | undefined;
}

/** Per-call overrides: `predict.forward(inputs, { config: { temperature: 1 }, rolloutId: 2 })`. */
export interface ForwardOptions {
  config?: Partial<CallOptions>;
  demos?: readonly Demo[];
  lm?: LanguageModel;
}

let defaultAdapter: ChatAdapter | undefined;

/**
 * The one module that calls an LM: formats the signature, demos and inputs with the adapter, calls the
 * LM, parses and validates the reply (feeding failures back a bounded number of times).
 * @example const classify = new Predict(Sentiment); const { label } = await classify.forward({ review });
 */
export class Predict<S extends SignatureLike = SignatureLike>
  extends Module<InputsOf<S>, Prediction<OutputsOf<S> & object>>
  implements Learnable
{
  readonly isPredictor = true as const;
  /** The signature as given (instructions and field text may be replaced by optimizers or `load`). */
  signature: SignatureSpec<InputsOf<S>, OutputsOf<S>>;
  demos: Demo[] = [];
  lm?: LanguageModel;
  adapter?: Adapter;
  config: Partial<CallOptions>;
  maxRetries?: number;
  validateInputs?: boolean;
  /**
   * Set by a module whose prompt instructions wrap a learnable part (ReAct): the learnable instructions are
   * the task's own, the prompt gets `render(task)`, and saved files carry the rendered text (DSPy's bytes),
   * read back with `extract`.
   */
  instructionTemplate?: InstructionTemplate;
  /** True when loaded instructions did not come from `instructionTemplate` and are sent as they are. */
  instructionsVerbatim = false;
  private rendered?: { from: SignatureSpec<any, any>; to: SignatureSpec<any, any> };
  /** The module name errors and spans use; a module built on this Predict (ChainOfThought, ReAct) sets its own. */
  displayName = 'Predict';
  /**
   * How many times its program calls it per call (what optimizers' estimates assume): once, unless the
   * module that owns it says otherwise (ReAct's step predictor runs once per tool call).
   */
  callsPerForward: { expected: number; max: number } = { expected: 1, max: 1 };
  /** The signature this predictor was built with: what `reset()` restores. */
  readonly initialSignature: SignatureSpec<any, any>;

  constructor(signature: S, options: PredictOptions = {}) {
    super();
    this.signature = signatureOf(signature) as SignatureSpec<InputsOf<S>, OutputsOf<S>>;
    this.initialSignature = this.signature;
    this.lm = options.lm;
    this.adapter = options.adapter;
    this.config = { ...(options.config ?? {}) };
    checkNumber(options.maxRetries, 'maxRetries', COUNT, `Predict(${this.signature.name})`);
    this.maxRetries = options.maxRetries;
    this.validateInputs = options.validateInputs;
  }

  /**
   * The signature the prompt is built from: the learnable one, with its instructions rendered through the
   * owner's `instructionTemplate` when it has one (ReAct adds its scaffolding and the current tool list).
   */
  promptSignature(): SignatureSpec<InputsOf<S>, OutputsOf<S>> {
    const template = this.instructionTemplate;
    if (!template || this.instructionsVerbatim) return this.signature;
    const rendered = this.rendered;
    if (rendered?.from === this.signature) return rendered.to;
    const to = this.signature.withInstructions(template.render(this.signature.instructions));
    this.rendered = { from: this.signature, to };
    return to;
  }

  /** How errors and spans name this predictor: `Predict(QA)`, or its owner's name (`ChainOfThought(QA)`). */
  get label(): string {
    return `${this.displayName}(${this.signature.name})`;
  }

  /** The instructions currently used (an optimizer's choice, or the signature's own). */
  get instructions(): string {
    return this.signature.instructions;
  }

  set instructions(text: string) {
    this.signature = this.signature.withInstructions(text);
  }

  /** This predictor's parameter handles, for a program that holds it at `path` (see `Module.parameters()`). */
  ownParameters(path: string): ParameterHandle[] {
    return predictorHandles(this, path);
  }

  /** Gives a clone its own demo list and call config, so editing one does not change the other. */
  afterClone(): void {
    this.demos = [...this.demos];
    this.config = { ...this.config };
  }

  async forward(
    inputs: InputsOf<S>,
    options: ForwardOptions = {},
  ): Promise<Prediction<OutputsOf<S> & object>> {
    const current = settings();
    const lm = options.lm ?? this.lm ?? current.lm;
    if (!lm) {
      throw new ConfigurationError(
        `${this.label} has no LM: call configure({ lm: new LM('openai/gpt-4o-mini') }), ` +
          `run inside context({ lm }, …) (in a NestJS service, outside a request: sigilContext.run(…)), or pass { lm } ` +
          'to the module.',
        { code: 'NO_LM' },
      );
    }
    const values = checkInputs(
      this.signature,
      inputs as Record<string, unknown>,
      this.label,
      this.validateInputs ?? current.validateInputs ?? true,
    );
    const run = () => this.predict(lm, values, options, current);
    return observing(current) ? instrument('module', `${this.label}`, values, run) : run();
  }

  private async predict(
    lm: LanguageModel,
    inputs: Record<string, unknown>,
    options: ForwardOptions,
    current: ReturnType<typeof settings>,
  ): Promise<Prediction<OutputsOf<S> & object>> {
    const signature = this.promptSignature();
    let adapter: Adapter = this.adapter ?? current.adapter ?? (defaultAdapter ??= new ChatAdapter());
    const demos = options.demos ?? this.demos;
    const baseOptions: Partial<CallOptions> = { ...current.lmOptions, ...this.config, ...options.config };
    const retries = this.maxRetries ?? current.maxRetries ?? 2;
    const usage: Usage = emptyUsage();
    let cost = 0;
    // This call's usage by model, passed on to the module and program calls around it.
    const tracked = new UsageTracker(activeUsageTracker());
    // Callbacks or an OpenTelemetry provider: adapter steps are reported too.
    const hasCallbacks = observing(current);
    const adapterAttributes = (a: Adapter) => ({
      'sigil.adapter.name': a.name,
      'sigil.signature': signature.name,
    });
    const middleware = current.lmMiddleware?.length ? current.lmMiddleware : undefined;
    // Native function calling: the tools go in the request, the prompt is formatted without them.
    let plan = planToolCall(adapter, signature, inputs, lm, baseOptions);
    const format = (a: Adapter) =>
      hasCallbacks
        ? observeSync(
            'adapter',
            `${a.name}.format`,
            { signature: signature.name, demos, inputs },
            () => a.format(plan.signature, demos, inputs),
            adapterAttributes(a),
          )
        : a.format(plan.signature, demos, inputs);
    // Every LM call of this prediction (the main one, and an adapter's own, e.g. TwoStepAdapter's
    // extraction): through the middlewares in force, in a span, counted in the prediction's usage.
    const sink = current.stream;
    const callLM = async (
      model: LanguageModel,
      request: ChatMessage[],
      callOptions: CallOptions,
      fields?: FieldStream,
    ): Promise<LMResponse> => {
      // Under program.stream(): streamed, field text reported as it arrives, stopped with the stream.
      const send = sink
        ? () => {
            const options = { ...callOptions, signal: eitherSignal(callOptions.signal, sink.signal) };
            const events = streamThrough(model, middleware ?? [], request, options, this);
            return consumeStream(events, fields, sink, this, model.model);
          }
        : middleware
          ? () => callThrough(model, middleware, request, callOptions, this)
          : () => model.call(request, callOptions);
      const response: LMResponse = observing(current)
        ? await instrument('lm', model.model, { messages: request, options: callOptions }, send, {
            describe: (content) =>
              describeChat(model.model, callOptions, endpointOf(model), request, content),
          })
        : await send();
      addUsage(usage, response.usage);
      cost += response.cost;
      tracked.record(model.model, response);
      return response;
    };
    const parseContext: ParseContext = {
      callLM: (model, request, callOptions = {}) => callLM(model, request, callOptions),
      signal: baseOptions.signal,
    };
    let messages = format(adapter);
    warnIfLargePrompt(this, this.label, messages, demos.length, current.largePromptChars);
    let usedFallback = false;
    let feedbacks = 0;
    for (;;) {
      const callOptions = { ...baseOptions, ...plan.callOptions, ...adapter.callOptions(plan.signature, lm) };
      const fields = sink ? adapter.fieldStream?.(plan.signature) : undefined;
      const response = await callLM(lm, messages, callOptions, fields);
      const parsed: Record<string, unknown>[] = [];
      let failure: AdapterParseError | OutputValidationError | undefined;
      let failedText = '';
      for (const completion of response.completions) {
        try {
          const parse = () =>
            plan.outputField
              ? parseToolCompletion(plan, completion, (s, text) => adapter.parse(s, text), adapter.name)
              : adapter.parse(plan.signature, completion.text);
          const outputs = adapter.parseAsync
            ? await adapter.parseAsync(plan.signature, completion.text, parseContext)
            : hasCallbacks
              ? observeSync(
                  'adapter',
                  `${adapter.name}.parse`,
                  { signature: signature.name, completion: completion.text },
                  parse,
                  adapterAttributes(adapter),
                )
              : parse();
          const problems = signature.validateOutputs(outputs);
          if (problems.length > 0) {
            throw new OutputValidationError(
              `${this.label}: the reply breaks the signature's constraints: ${problems.join('; ')}.`,
              { signature: signature.name, problems, completion: completion.text },
            );
          }
          parsed.push(outputs);
        } catch (error) {
          if (!(error instanceof AdapterParseError || error instanceof OutputValidationError)) throw error;
          failure ??= error;
          failedText ||= completion.text;
        }
      }
      // A reply it could not use is not cached as good: the same request (a resumed run) asks the LM again.
      if (parsed.length === 0) await lm.forget?.(response);
      if (parsed.length > 0) {
        const outputs = parsed[0];
        current.trace?.push({ predictor: this, inputs, outputs });
        const prediction = Prediction.from(outputs, {
          usage,
          cost,
          completions: parsed,
          trace: [{ predictor: signature.name, inputs, outputs }],
        }) as Prediction<OutputsOf<S> & object>;
        rememberUsage(prediction, tracked.snapshot());
        return prediction;
      }
      if (!failure) {
        throw new AdapterParseError(`${this.label}: the LM returned no completion.`, {
          signature: signature.name,
          adapter: adapter.name,
          completion: '',
          found: [],
          missing: [...signature.outputNames],
          code: 'ADAPTER_NO_COMPLETION',
        });
      }
      if (failure instanceof AdapterParseError && adapter.fallback && !usedFallback) {
        // As DSPy: a reply ChatAdapter cannot parse is asked for again once through JSONAdapter.
        usedFallback = true;
        adapter = adapter.fallback;
        plan = planToolCall(adapter, signature, inputs, lm, baseOptions);
        messages = format(adapter);
        continue;
      }
      if (feedbacks >= retries) throw failure;
      feedbacks++;
      messages = [...messages, { role: 'assistant', content: failedText }, feedbackMessage(failure)];
    }
  }
}

/** The endpoint an LM talks to, when it says (`LM.baseURL`), for the span's `server.address`. */
function endpointOf(lm: LanguageModel): string | undefined {
  const url = (unwrapLM(lm) as { baseURL?: unknown }).baseURL;
  return typeof url === 'string' ? url : undefined;
}

function feedbackMessage(failure: AdapterParseError | OutputValidationError): ChatMessage {
  const problems =
    failure instanceof OutputValidationError
      ? failure.problems
      : [...failure.missing.map((m) => `the field \`${m}\` is missing`), ...failure.problems];
  return {
    role: 'user',
    content:
      `Your previous response could not be used: ${problems.join('; ') || failure.message}. ` +
      'Respond again with every output field, following the required format and constraints exactly.',
  };
}
