/**
 * Retries: exponential backoff with jitter for errors that retrying can fix, the server's Retry-After
 * honoured, and a bounded number of attempts.
 */
import { onAbort } from './abort-listeners';
import { LMError } from './errors';

/** How persistently a failed request is retried. */
export interface RetryOptions {
  /**
   * Attempts in total, the first included (default 10: with 30 % of requests failing at random, 2,000
   * calls all succeed).
   */
  maxAttempts?: number;
  /**
   * Attempts when nothing answers at the endpoint at all (connection refused, unknown host; code
   * `LM_UNREACHABLE`), default 3: a dead endpoint fails a call in about 1.5 s, not the whole backoff chain.
   */
  maxUnreachableAttempts?: number;
  /** Backoff before the second attempt; doubles each time (default 500 ms). */
  baseDelayMs?: number;
  /** Cap on the computed backoff (default 10 s). */
  maxDelayMs?: number;
  /**
   * Longest server-requested wait (Retry-After) a call sits out before retrying (default 60 s). A 429 asking
   * for longer fails the call at once with `LMRateLimitError`, whose `retryAfterMs` says what was asked.
   */
  maxRetryAfterMs?: number;
}

/** What the retry loop tells its caller and needs from it. */
export interface RetryHooks {
  signal?: AbortSignal;
  /** Called before each sleep. */
  onRetry?: (notice: RetryNotice) => void;
  /**
   * Called for every 429 with the server's wait when the loop will honour it (undefined when there is none
   * or the call fails instead): the scheduler's rate-limit pause hangs on it.
   */
  onRateLimited?: (error: LMError, honouredWaitMs: number | undefined) => void;
  /** The error to throw when `signal` aborts during a sleep. */
  onAbort: () => Error;
  /** `performance.now()` time after which no wait may end: a longer one fails the call now. */
  deadline?: number;
}

/** What the retry loop reports before it sleeps. */
export interface RetryNotice {
  attempt: number;
  delayMs: number;
  error: LMError;
}

type HeaderSource = { get(name: string): string | null } | undefined;

/**
 * The wait a response asks for, in ms: `retry-after-ms` (as OpenAI sends), else `Retry-After` as seconds
 * or an HTTP date. Undefined when absent or unparseable.
 */
export function parseRetryAfter(headers: HeaderSource, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with "equal jitter": half fixed, half random, so clients desynchronise. */
export function backoffDelay(attempt: number, options: RetryOptions = {}, random = Math.random): number {
  const base = options.baseDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 10_000;
  const exponential = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  return exponential / 2 + random() * (exponential / 2);
}

/** `3600 s`, `1.5 s`. */
function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      stop?.();
      resolve();
    }, ms);
    const stop =
      signal &&
      onAbort(signal, () => {
        clearTimeout(timer);
        reject(signal.reason);
      });
  });
}

/**
 * Runs `attempt(n)` until it succeeds, fails with a non-retryable error, or runs out of attempts.
 * The error finally thrown carries the number of attempts made.
 */
export async function withRetries<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  options: RetryOptions,
  hooks: RetryHooks,
): Promise<T> {
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 10);
  for (let attemptNumber = 1; ; attemptNumber++) {
    try {
      return await attempt(attemptNumber);
    } catch (error) {
      if (!(error instanceof LMError)) throw error;
      error.attempts = attemptNumber;
      const asked = error.retryAfterMs;
      if (error.status === 429) {
        const honoured = error.retryable && asked !== undefined && asked <= maxRetryAfterMs;
        hooks.onRateLimited?.(error, honoured ? asked : undefined);
      }
      if (!error.retryable) throw error;
      const limit =
        error.code === 'LM_UNREACHABLE'
          ? Math.min(maxAttempts, options.maxUnreachableAttempts ?? 3)
          : maxAttempts;
      if (attemptNumber >= limit) {
        error.message += ` Gave up after ${attemptNumber} attempts.`;
        throw error;
      }
      if (asked !== undefined && asked > maxRetryAfterMs) {
        error.message +=
          ` The server asked to wait ${seconds(asked)} (Retry-After), longer than retry.maxRetryAfterMs ` +
          `(${seconds(maxRetryAfterMs)}): failing now instead of waiting. Raise maxRetryAfterMs to wait that long.`;
        throw error;
      }
      const delayMs = asked ?? backoffDelay(attemptNumber, options);
      if (hooks.deadline !== undefined && performance.now() + delayMs > hooks.deadline) {
        const left = Math.max(0, Math.round(hooks.deadline - performance.now()));
        error.message +=
          asked !== undefined
            ? ` The server asked to wait ${seconds(asked)} (Retry-After), past this call's deadline ` +
              `(deadlineMs, ${left} ms left): failing now instead of waiting.`
            : ` Not retried: waiting ${Math.round(delayMs)} ms would pass this call's deadline (deadlineMs, ${left} ms left).`;
        throw error;
      }
      hooks.onRetry?.({ attempt: attemptNumber, delayMs, error });
      try {
        await sleep(delayMs, hooks.signal);
      } catch {
        throw hooks.onAbort();
      }
    }
  }
}
