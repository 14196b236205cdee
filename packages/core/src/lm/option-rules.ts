/**
 * The numeric options of `LM`, `Embedder`, `Scheduler` and each call, and what each accepts: checked when
 * the object is made (and per call), so a bad value fails at once naming the option.
 */
import {
  checkNumber,
  checkNumbers,
  COUNT,
  DURATION_MS,
  FINITE,
  LIMIT_MS,
  NON_NEGATIVE,
  type NumberRule,
  POSITIVE,
  POSITIVE_COUNT,
} from '../errors/option-checks';

/** Per-call options (also an LM's defaults for them). */
export const CALL_RULES: Readonly<Record<string, NumberRule>> = {
  temperature: NON_NEGATIVE,
  maxTokens: POSITIVE_COUNT,
  n: POSITIVE_COUNT,
  seed: { integer: true },
  topP: { min: 0, max: 1 },
  timeoutMs: LIMIT_MS,
  deadlineMs: LIMIT_MS,
};

export const SCHEDULER_RULES: Readonly<Record<string, NumberRule>> = {
  maxConcurrency: POSITIVE_COUNT,
  requestsPerMinute: POSITIVE,
  tokensPerMinute: POSITIVE,
  burstSeconds: POSITIVE,
  maxRateLimitPauseMs: DURATION_MS,
};

export const RETRY_RULES: Readonly<Record<string, NumberRule>> = {
  maxAttempts: POSITIVE_COUNT,
  maxUnreachableAttempts: POSITIVE_COUNT,
  baseDelayMs: NON_NEGATIVE,
  maxDelayMs: NON_NEGATIVE,
  maxRetryAfterMs: DURATION_MS,
};

const CACHE_RULES: Readonly<Record<string, NumberRule>> = {
  maxEntries: POSITIVE_COUNT,
  maxMemoryBytes: NON_NEGATIVE,
  maxMemoryEntryBytes: NON_NEGATIVE,
};

const HISTORY_RULES: Readonly<Record<string, NumberRule>> = { maxEntries: COUNT, maxBytes: NON_NEGATIVE };

/** A numeric priority must be finite; the named ones (`interactive`, `normal`, `bulk`) pass. */
function checkPriority(options: { priority?: unknown; rolloutId?: unknown }, where: string): void {
  if (typeof options.priority === 'number') checkNumber(options.priority, 'priority', FINITE, where);
  if (typeof options.rolloutId === 'number') checkNumber(options.rolloutId, 'rolloutId', FINITE, where);
}

/** The checks of one call's options (or an LM's defaults for them). */
export function checkCallOptions(options: object, where: string): void {
  checkNumbers(options, CALL_RULES, where);
  checkPriority(options as { priority?: unknown }, where);
}

/** The checks of `new LM(model, options)`. */
export function checkLMOptions(
  options: {
    retry?: object;
    cache?: unknown;
    history?: unknown;
    historySize?: number;
  } & object,
  where: string,
): void {
  checkCallOptions(options, where);
  checkNumbers(options, SCHEDULER_RULES, where);
  checkNumbers(options.retry, RETRY_RULES, where, 'retry.');
  if (options.cache !== null && typeof options.cache === 'object' && !('peek' in options.cache)) {
    checkNumbers(options.cache, CACHE_RULES, where, 'cache.');
  }
  checkNumber(options.historySize, 'historySize', COUNT, where);
  if (options.history !== null && typeof options.history === 'object') {
    checkNumbers(options.history, HISTORY_RULES, where, 'history.');
  }
}
