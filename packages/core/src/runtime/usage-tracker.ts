/**
 * Usage per program call (DSPy's `get_lm_usage` / `track_usage`): every LM response a predictor receives
 * is recorded into the trackers of the calls it runs inside (the innermost module call, the program
 * around it, an explicit `trackUsage`), and each module call's result is remembered with its own totals.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { LMResponse } from '../lm/types';

/** What the LM calls of one model cost inside a call: paid tokens and dollars, and how many calls. */
export interface ModelUsage {
  /** LM calls answered (paid and from Sigil's cache). */
  calls: number;
  /** Calls answered from Sigil's cache: their tokens and cost are not counted, as in DSPy. */
  cacheHits: number;
  promptTokens: number;
  completionTokens: number;
  /** Prompt tokens the provider served from its own prompt cache. */
  cachedTokens: number;
  totalTokens: number;
  /** In US dollars; 0 when the price is unknown. */
  cost: number;
}

/** Usage by model name, as DSPy's `prediction.get_lm_usage()` returns it (`{ 'openai/gpt-4o-mini': … }`). */
export type LMUsage = Record<string, ModelUsage>;

/** Collects the usage of the LM calls made inside one call, passing each on to the call around it. */
export class UsageTracker {
  private readonly models = new Map<string, ModelUsage>();

  constructor(private readonly parent?: UsageTracker) {}

  /** Records one LM response of `model` here and in every enclosing tracker. */
  record(model: string, response: Pick<LMResponse, 'cached' | 'usage' | 'cost'>): void {
    this.add(model, response);
    this.parent?.record(model, response);
  }

  private add(model: string, response: Pick<LMResponse, 'cached' | 'usage' | 'cost'>): void {
    let entry = this.models.get(model);
    if (!entry) {
      entry = {
        calls: 0,
        cacheHits: 0,
        promptTokens: 0,
        completionTokens: 0,
        cachedTokens: 0,
        totalTokens: 0,
        cost: 0,
      };
      this.models.set(model, entry);
    }
    entry.calls++;
    if (response.cached) {
      entry.cacheHits++;
      return;
    }
    entry.promptTokens += response.usage.promptTokens;
    entry.completionTokens += response.usage.completionTokens;
    entry.cachedTokens += response.usage.cachedTokens;
    entry.totalTokens += response.usage.totalTokens;
    entry.cost += response.cost;
  }

  /** The totals so far, by model (a frozen copy). */
  snapshot(): LMUsage {
    const out: LMUsage = {};
    for (const [model, usage] of this.models) out[model] = Object.freeze({ ...usage });
    return Object.freeze(out);
  }
}

const active = new AsyncLocalStorage<UsageTracker>();
const remembered = new WeakMap<object, LMUsage>();

/** The tracker of the innermost tracked call running here, if any. */
export function activeUsageTracker(): UsageTracker | undefined {
  return active.getStore();
}

/** Remembers `usage` as the usage of the call that returned `result` (objects only). */
export function rememberUsage(result: unknown, usage: LMUsage): void {
  if (result !== null && (typeof result === 'object' || typeof result === 'function')) {
    remembered.set(result as object, usage);
  }
}

/**
 * Runs `fn` as one tracked call: the LM calls made inside it are counted into its own tracker (and into the
 * enclosing ones), and its result is remembered with them.
 */
export async function trackedCall<T>(fn: () => Promise<T>): Promise<T> {
  const tracker = new UsageTracker(active.getStore());
  const result = await active.run(tracker, fn);
  rememberUsage(result, tracker.snapshot());
  return result;
}

/**
 * The usage and cost, by model, of every LM call made inside the module or program call that returned
 * `result` — a `Prediction` or a plain object a program returns (DSPy's `get_lm_usage`). Undefined for a
 * value no tracked call returned.
 * @example const out = await rag.forward({ question }); lmUsageOf(out)?.['openai/gpt-4o-mini'].totalTokens
 */
export function lmUsageOf(result: unknown): LMUsage | undefined {
  return result !== null && typeof result === 'object' ? remembered.get(result) : undefined;
}

/**
 * Runs `fn` and returns its result with the usage, by model, of every LM call made inside it (DSPy's
 * `track_usage`), whatever `fn` returns.
 * @example const { result, usage } = await trackUsage(() => program.forward(inputs));
 */
export async function trackUsage<T>(fn: () => Promise<T>): Promise<{ result: T; usage: LMUsage }> {
  const tracker = new UsageTracker(active.getStore());
  const result = await active.run(tracker, fn);
  return { result, usage: tracker.snapshot() };
}

/** The usage of every model in `usage` added up (tokens, calls and dollars). */
export function totalUsage(usage: LMUsage): ModelUsage {
  const total: ModelUsage = {
    calls: 0,
    cacheHits: 0,
    promptTokens: 0,
    completionTokens: 0,
    cachedTokens: 0,
    totalTokens: 0,
    cost: 0,
  };
  for (const entry of Object.values(usage)) {
    for (const key of Object.keys(total) as (keyof ModelUsage)[]) total[key] += entry[key];
  }
  return total;
}
