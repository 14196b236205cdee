import { AsyncLocalStorage } from 'node:async_hooks';
import type { Adapter } from '../adapter/adapter';
import type { CallOptions, LanguageModel } from '../lm/types';
import type { Callback } from './callbacks';

/** One predictor call recorded while a program runs under `traced()`. */
export interface TraceRecord {
  /** The Predict instance that made the call (optimizers map it to its path). */
  readonly predictor: object;
  readonly inputs: Record<string, unknown>;
  readonly outputs: Record<string, unknown>;
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
  /** Free-form labels (request id, tenant) that callbacks and spans carry. */
  tags?: Readonly<Record<string, string>>;
  /** Set by `traced()`; predictors append their calls here. */
  trace?: TraceRecord[];
}

const storage = new AsyncLocalStorage<Settings>();
let root: Settings = {};

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
 * Runs `fn` and returns what it returned with every predictor call made inside it (DSPy's trace).
 * @example const { result, trace } = await traced(() => program.forward(inputs));
 */
export async function traced<T>(fn: () => Promise<T>): Promise<{ result: T; trace: TraceRecord[] }> {
  const trace: TraceRecord[] = [];
  const result = await context({ trace }, fn);
  return { result, trace };
}
