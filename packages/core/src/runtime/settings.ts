import { AsyncLocalStorage } from 'node:async_hooks';
import type { Adapter } from '../adapter/adapter';
import type { LMMiddleware } from '../lm/middleware';
import type { CallOptions, LanguageModel } from '../lm/types';
import { setLogSource, type SigilLogger } from '../logging/log';

/** What a callback hears about: a module's forward, or one LM call made by a predictor. */
export interface CallEvent {
  /** `adapter` events are an adapter's `format` or `parse` (name `ChatAdapter.format`, …); `tool` a tool call. */
  readonly kind: 'module' | 'lm' | 'adapter' | 'tool';
  /** Module class name, the LM's model name, `Adapter.format` / `Adapter.parse`, or the tool's name. */
  readonly name: string;
  readonly inputs: unknown;
  readonly tags?: Readonly<Record<string, string>>;
}

/** Hooks for logging and telemetry; every method is optional and may not throw into the program. */
export interface Callback {
  /** Called when a module or LM call starts. */
  onStart?(event: CallEvent): void;
  /** Called when it ends, with its output or error and how long it took. */
  onEnd?(event: CallEvent, outcome: { output?: unknown; error?: unknown; durationMs: number }): void;
}

/** One predictor call recorded while a program runs under `traced()`. */
export interface TraceRecord {
  /** The Predict instance that made the call (optimizers map it to its path). */
  readonly predictor: object;
  readonly inputs: Record<string, unknown>;
  readonly outputs: Record<string, unknown>;
}

/**
 * Where a predictor running under `program.stream()` sends its output fields as they stream. Set by
 * `stream()` in its own context, so concurrent streams never see each other's chunks.
 */
export interface StreamSink {
  /** Text of output `field` from the reply `predictor` (a Predict) is streaming. */
  field(predictor: object, field: string, delta: string): void;
  /** Aborts the stream's LM calls when the consumer stops reading. */
  readonly signal: AbortSignal;
}

/** What a program runs with: the LM, the adapter, callbacks, tags and default LM options. */
export interface Settings {
  lm?: LanguageModel;
  adapter?: Adapter;
  callbacks?: readonly Callback[];
  /** Default options for every LM call (temperature, maxTokens…); a module's own config wins. */
  lmOptions?: Partial<CallOptions>;
  /** How many times a reply that fails parsing or validation is fed back to the model (default 2). */
  maxRetries?: number;
  /** Check each predictor input against its field's type before calling the LM (default true). */
  validateInputs?: boolean;
  /** Free-form labels (request id, tenant) that callbacks and spans carry. */
  tags?: Readonly<Record<string, string>>;
  /**
   * Characters of prompt over which a predictor warns once (`SIGIL_LARGE_PROMPT`, default 400,000, about
   * 100,000 tokens); `false` never warns.
   */
  largePromptChars?: number | false;
  /** Set by `traced()`; predictors append their calls here. */
  trace?: TraceRecord[];
  /**
   * Middlewares around every LM call a predictor makes in this context, whichever LM it uses (the
   * configured one, its own, a per-call one), outermost first. Add one with `withLMMiddleware`.
   */
  lmMiddleware?: readonly LMMiddleware[];
  /** OpenTelemetry spans: see `TelemetryOptions`. */
  telemetry?: TelemetryOptions;
  /** Where Sigil's warnings and notices go (default: Node's process warnings; NestJS binds its Logger). */
  logger?: SigilLogger;
  /** Set inside `program.stream()`: predictors stream their LM calls and report fields here. */
  stream?: StreamSink;
}

/** How Sigil's OpenTelemetry spans are recorded. */
export interface TelemetryOptions {
  /**
   * Put prompt and reply text (`gen_ai.input.messages`, `gen_ai.output.messages`, tool arguments and
   * results) into spans. Off by default: spans then carry no text a user wrote. When unset, the
   * `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT` environment variable (`true`) decides.
   */
  captureContent?: boolean;
}

const storage = new AsyncLocalStorage<Settings>();
let root: Settings = {};
setLogSource(() => storage.getStore() ?? root);

/** The settings in force here: the innermost `context()`, else what `configure()` set. */
export function settings(): Readonly<Settings> {
  return storage.getStore() ?? root;
}

/**
 * Sets the process-wide defaults (as `dspy.configure`). Inside a `context()` it changes only that context.
 * @example configure({ lm: new LM('openai/gpt-4o-mini') });
 */
export function configure(update: Partial<Settings>): void {
  const scoped = storage.getStore();
  if (scoped) Object.assign(scoped, update);
  else root = { ...root, ...update };
}

/**
 * Runs `fn` with settings overridden for everything it calls, including across `await`s; concurrent
 * contexts never see each other's settings.
 * @example await context({ lm: cheapLM }, () => program.forward({ question }));
 */
export function context<T>(overrides: Partial<Settings>, fn: () => T): T {
  return storage.run({ ...settings(), ...overrides }, fn);
}

/**
 * Runs `fn` with `middleware` around every LM call a predictor makes inside it, inside the middlewares
 * already in force (a budget inside a CLI's meter inside a request's drain counter).
 * @example await withLMMiddleware(meter, () => program.forward(inputs));
 */
export function withLMMiddleware<T>(middleware: LMMiddleware, fn: () => T): T {
  return context({ lmMiddleware: [...(settings().lmMiddleware ?? []), middleware] }, fn);
}

/**
 * Runs `fn` and returns what it returned with every predictor call made inside it (DSPy's trace).
 * @example const { result, trace } = await traced(() => program.forward(inputs));
 */
export async function traced<T>(fn: () => Promise<T>): Promise<{ result: T; trace: TraceRecord[] }> {
  const trace: TraceRecord[] = [];
  const result = await context({ trace }, fn);
  return { result, trace };
}
