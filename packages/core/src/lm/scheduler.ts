/**
 * The gate in front of an endpoint: at most `maxConcurrency` requests in flight, requests-per-minute and
 * tokens-per-minute budgets, rate-limit pauses, and a priority queue — lower priority numbers go first,
 * FIFO within one. Several LMs can share one scheduler to share one provider's limits.
 */
import TinyQueue from 'tinyqueue';
import { checkNumbers } from '../errors/option-checks';
import { onAbort } from './abort-listeners';
import { SCHEDULER_RULES } from './option-rules';
import { RateBucket } from './rate-limit';
import type { Priority } from './types';

/** Numeric value of the named priorities; numbers in between (or beyond) are allowed. */
export const PRIORITY_LEVELS = { interactive: 0, normal: 10, bulk: 20 } as const;

/** Limits of a {@link Scheduler}. */
export interface SchedulerOptions {
  /** Requests in flight at once (default 16). */
  maxConcurrency?: number;
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  /** How much of a minute's budget may be spent at once (default 1 second's worth). */
  burstSeconds?: number;
  /** Longest pause of new requests after 429s with Retry-After (default 10,000 ms); see `rateLimited`. */
  maxRateLimitPauseMs?: number;
}

/** What one request asks the scheduler for. */
export interface AcquireOptions {
  priority?: Priority;
  /** Estimated tokens (prompt + max output), charged against tokens-per-minute. */
  tokens?: number;
  signal?: AbortSignal;
}

/** A granted slot. Release it exactly once when the request is over (extra calls are ignored). */
export interface SchedulerLease {
  /** Frees the slot; `actualTokens` corrects the tokens-per-minute estimate. */
  release(actualTokens?: number): void;
}

interface Waiter {
  priority: number;
  sequence: number;
  tokens: number;
  grant: (lease: SchedulerLease) => void;
  done: boolean;
}

/** Interactive calls (priority `interactive` or lower numbers) are not held by a rate-limit pause. */
function bypassesPause(priority: number): boolean {
  return priority <= PRIORITY_LEVELS.interactive;
}

/** Numeric priority of a named or numeric priority. */
export function priorityValue(priority: Priority | undefined): number {
  if (priority === undefined) return PRIORITY_LEVELS.normal;
  return typeof priority === 'number' ? priority : PRIORITY_LEVELS[priority];
}

/**
 * Concurrency, rate limits and priorities for one endpoint.
 * @example `new LM('openai/gpt-4o-mini', { scheduler: new Scheduler({ maxConcurrency: 8, requestsPerMinute: 500 }) })`
 */
export class Scheduler {
  readonly maxConcurrency: number;
  readonly maxRateLimitPauseMs: number;
  private readonly queue = new TinyQueue<Waiter>(
    [],
    (a, b) => a.priority - b.priority || a.sequence - b.sequence,
  );
  private readonly requests?: RateBucket;
  private readonly tokens?: RateBucket;
  private running = 0;
  private sequence = 0;
  private pausedUntil = 0;
  /** Requests granted and 429s seen over the recent window (both halved as it slides). */
  private granted = 0;
  private limited = 0;
  private readonly window: number;
  private timer?: NodeJS.Timeout;
  private timerAt = 0;

  constructor(options: SchedulerOptions = {}) {
    checkNumbers(options, SCHEDULER_RULES, 'Scheduler');
    this.maxConcurrency = Math.max(1, options.maxConcurrency ?? 16);
    this.maxRateLimitPauseMs = Math.max(0, options.maxRateLimitPauseMs ?? 10_000);
    this.window = Math.max(32, 2 * this.maxConcurrency);
    if (options.requestsPerMinute)
      this.requests = new RateBucket(options.requestsPerMinute, options.burstSeconds);
    if (options.tokensPerMinute) this.tokens = new RateBucket(options.tokensPerMinute, options.burstSeconds);
  }

  /** Requests in flight and waiting. */
  get load(): { running: number; queued: number } {
    return { running: this.running, queued: this.queue.length };
  }

  /**
   * A slot now, if one is free and nobody is queued ahead (no pause, budgets allow); else undefined, and
   * the caller queues with `acquire`. The synchronous path of an idle scheduler: no promise, no queue entry.
   */
  tryAcquire(options: AcquireOptions = {}): SchedulerLease | undefined {
    if (this.queue.length > 0 || this.running >= this.maxConcurrency || options.signal?.aborted)
      return undefined;
    const tokens = options.tokens ?? 0;
    const now = Date.now();
    if (this.pausedUntil > now && !bypassesPause(priorityValue(options.priority))) return undefined;
    if (this.requests && this.requests.waitMs(1, now) > 0) return undefined;
    if (this.tokens && this.tokens.waitMs(tokens, now) > 0) return undefined;
    this.requests?.take(1, now);
    this.tokens?.take(tokens, now);
    this.running++;
    this.countGrant();
    return this.lease(tokens);
  }

  /** Waits for a slot; rejects with the signal's reason if it aborts while queued. */
  acquire(options: AcquireOptions = {}): Promise<SchedulerLease> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const now = this.tryAcquire(options);
    if (now) return Promise.resolve(now);
    return new Promise<SchedulerLease>((resolve, reject) => {
      let stop: (() => void) | undefined;
      const waiter: Waiter = {
        priority: priorityValue(options.priority),
        sequence: this.sequence++,
        tokens: options.tokens ?? 0,
        done: false,
        grant: (lease) => {
          stop?.();
          resolve(lease);
        },
      };
      if (signal) {
        stop = onAbort(signal, () => {
          if (waiter.done) return;
          waiter.done = true;
          reject(signal.reason);
        });
      }
      this.queue.push(waiter);
      this.pump();
    });
  }

  /**
   * Reports a 429 from the endpoint, with the Retry-After the caller will wait out (undefined: none, or one
   * too long to honour, whose call fails instead). New requests (interactive ones excepted) are held for
   * that wait scaled by the share of recent requests that were rate limited, at most
   * `maxRateLimitPauseMs`: one stray 429 among many answers barely slows the others, an endpoint that
   * rejects everything is paused for the whole wait (capped). Requests in flight are not affected.
   */
  rateLimited(retryAfterMs: number | undefined): void {
    this.limited++;
    if (!(retryAfterMs !== undefined && retryAfterMs > 0)) return;
    const share = Math.min(1, this.limited / Math.max(this.granted, this.window));
    this.pauseFor(Math.min(this.maxRateLimitPauseMs, retryAfterMs * share));
  }

  /** Holds every dispatch but interactive ones for `ms` (never shortens a pause already set). */
  pauseFor(ms: number): void {
    const until = Date.now() + ms;
    if (until > this.pausedUntil) this.pausedUntil = until;
  }

  /** Milliseconds left of the current rate-limit pause (0 when none). */
  pauseRemainingMs(now = Date.now()): number {
    return Math.max(0, this.pausedUntil - now);
  }

  private countGrant(): void {
    if (++this.granted < 2 * this.window) return;
    this.granted /= 2;
    this.limited /= 2;
  }

  private pump(): void {
    while (this.running < this.maxConcurrency && this.queue.length > 0) {
      const head = this.queue.peek() as Waiter;
      if (head.done) {
        this.queue.pop();
        continue;
      }
      const now = Date.now();
      const paused = bypassesPause(head.priority) ? 0 : this.pausedUntil - now;
      const wait = Math.max(
        paused,
        this.requests ? this.requests.waitMs(1, now) : 0,
        this.tokens ? this.tokens.waitMs(head.tokens, now) : 0,
      );
      if (wait > 0) {
        this.wakeAfter(wait);
        return;
      }
      this.queue.pop();
      head.done = true;
      this.requests?.take(1, now);
      this.tokens?.take(head.tokens, now);
      this.running++;
      this.countGrant();
      head.grant(this.lease(head.tokens));
    }
  }

  private lease(estimate: number): SchedulerLease {
    let released = false;
    return {
      release: (actualTokens?: number) => {
        if (released) return;
        released = true;
        this.running--;
        if (actualTokens !== undefined && this.tokens) this.tokens.adjust(actualTokens - estimate);
        this.pump();
      },
    };
  }

  private wakeAfter(ms: number): void {
    const at = Date.now() + ms;
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, ms);
  }
}
