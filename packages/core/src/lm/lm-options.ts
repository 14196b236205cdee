/**
 * What `new LM(model, options)` accepts, and what `lm.stream()` yields.
 */
import { type CacheMode, type CacheOptions, ResponseCache } from './cache';
import type { EndpointOptions } from './endpoint';
import type { HistoryLimits } from './history';
import type { TransportOptions } from './http/transport-options';
import type { ModelPrice } from './prices';
import type { RetryOptions } from './retry';
import type { Scheduler, SchedulerOptions } from './scheduler';
import type { CallOptions, LMResponse } from './types';

/** Call parameters an LM applies to every call unless the call overrides them. */
export type LMDefaults = Pick<
  CallOptions,
  | 'temperature'
  | 'maxTokens'
  | 'n'
  | 'stop'
  | 'seed'
  | 'topP'
  | 'extraBody'
  | 'timeoutMs'
  | 'deadlineMs'
  | 'priority'
>;

/** Everything `new LM(model, options)` accepts. */
export interface LMOptions extends EndpointOptions, TransportOptions, LMDefaults, SchedulerOptions {
  /** A cache mode, cache settings, a shared `ResponseCache`, or `false` (same as `'off'`). Default read-write under `.sigil/cache`. */
  cache?: CacheMode | CacheOptions | ResponseCache<LMResponse> | false;
  /** A scheduler shared with other LMs on the same endpoint (otherwise one is made from the limits here). */
  scheduler?: Scheduler;
  retry?: RetryOptions;
  /** Whether the endpoint understands `response_format: { type: 'json_schema' }` (default true). */
  supportsStructuredOutputs?: boolean;
  /** Whether the endpoint takes `tools` and answers with `tool_calls` (default true); false writes tool calls as text. */
  supportsFunctionCalling?: boolean;
  /** Calls kept for `inspectHistory` (default 200); same as `history: { maxEntries }`. */
  historySize?: number;
  /**
   * What this LM records for `lm.inspectHistory()` and the process-wide `inspectHistory()`: limits in calls
   * and in characters of text (default 200 calls, 4 MB), or `false` to record nothing.
   */
  history?: false | HistoryLimits;
  /** This model's price, overriding the shared price table. */
  price?: ModelPrice;
}

export type { LMStreamEvent } from './types';

/** The response cache an `LM` option describes. */
export function cacheFrom(option: LMOptions['cache']): ResponseCache<LMResponse> {
  if (option instanceof ResponseCache) return option;
  if (option === false) return new ResponseCache('lm', { mode: 'off' });
  if (typeof option === 'string') return new ResponseCache('lm', { mode: option });
  return new ResponseCache('lm', option);
}

/** The history limits an LM's options describe (`history: false` keeps nothing). */
export function historyLimits(options: Pick<LMOptions, 'history' | 'historySize'>): HistoryLimits {
  if (options.history === false) return { maxEntries: 0 };
  return { maxEntries: options.historySize, ...options.history };
}
