/**
 * Retries: exponential backoff with jitter for errors that retrying can fix, the server's Retry-After
 * honoured, and a bounded number of attempts.
 */
import { onAbort } from './abort-listeners';
import { LMError } from './errors';

/** How persistently a failed request is retried. */
export interface RetryOptions {
  /** Attempts in total, the first included (default 5). */
  maxAttempts?: number;
  /** Backoff before the second attempt; doubles each time (default 500 ms). */
  baseDelayMs?: number;
  /** Cap on the computed backoff (default 30 s). */
  maxDelayMs?: number;
  /** Cap on a server-requested Retry-After (default 60 s). */
  maxRetryAfterMs?: number;
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
  const cap = options.maxDelayMs ?? 30_000;
  const exponential = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  return exponential / 2 + random() * (exponential / 2);
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
  hooks: { signal?: AbortSignal; onRetry?: (notice: RetryNotice) => void; onAbort: () => Error },
): Promise<T> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  for (let attemptNumber = 1; ; attemptNumber++) {
    try {
      return await attempt(attemptNumber);
    } catch (error) {
      if (!(error instanceof LMError)) throw error;
      error.attempts = attemptNumber;
      if (!error.retryable) throw error;
      if (attemptNumber >= maxAttempts) {
        error.message += ` Gave up after ${attemptNumber} attempts.`;
        throw error;
      }
      const delayMs =
        error.retryAfterMs !== undefined
          ? Math.min(error.retryAfterMs, options.maxRetryAfterMs ?? 60_000)
          : backoffDelay(attemptNumber, options);
      hooks.onRetry?.({ attempt: attemptNumber, delayMs, error });
      try {
        await sleep(delayMs, hooks.signal);
      } catch {
        throw hooks.onAbort();
      }
    }
  }
}
