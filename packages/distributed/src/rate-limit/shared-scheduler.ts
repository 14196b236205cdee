/**
 * A rate limit shared by every process on one Redis: requests and tokens per window for one endpoint, kept
 * by `rate-limiter-flexible`'s `RateLimiterRedis` (an atomic Lua counter per window). The scheduler is the
 * LM's own (`new LM(model, { scheduler })`), so only requests that reach the network are counted: cache
 * hits, in this process or another, pay nothing. Priorities follow the in-process scheduler: lower numbers
 * first, FIFO within one; this process asks Redis for its head of queue only.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { InvalidOptionError } from '@sigil/core';
import { type AcquireOptions, priorityValue, Scheduler, type SchedulerLease } from '@sigil/core/internal';
import { createClient, describeConnection, type RedisConnection } from '../redis/connection';

/** Options of {@link SharedRateLimitScheduler}. */
export interface SharedRateLimitOptions {
  /** Where Redis is. A client you pass is used as it is and not closed by `close()`. */
  redis: RedisConnection;
  /** What the limit is for: processes that name the same endpoint share it (e.g. the endpoint's base URL). */
  endpoint: string;
  /** Requests per window, summed over every process. */
  requestsPerMinute?: number;
  /** Tokens per window (prompt estimate + max output, corrected after the call), summed over every process. */
  tokensPerMinute?: number;
  /**
   * The window the limits are counted over, in whole seconds (default 60, a minute). Tests and benchmarks
   * scale it down (limits per 3 s) to see many windows quickly.
   */
  windowSeconds?: number;
  /** Requests in flight at once in this process (default 16). */
  maxConcurrency?: number;
  /** Prefix of the Redis keys (default `'sigil:rate'`). */
  prefix?: string;
  /** Told of every admission, with the end of the shared window that counted it (for metrics and tests). */
  onAdmission?: (admission: { at: number; windowEndsAt: number; priority: number }) => void;
}

interface Waiter {
  priority: number;
  sequence: number;
  tokens: number;
  admit: () => void;
  reject: (reason: unknown) => void;
  done: boolean;
}

/**
 * A `Scheduler` whose requests-per-minute and tokens-per-minute limits are shared through Redis. When Redis
 * cannot be reached, each process falls back to the same limits on its own (rate-limiter-flexible's
 * insurance limiter), so an outage slows nobody to zero.
 * @example new LM('openai/gpt-4o-mini', { scheduler: new SharedRateLimitScheduler({ redis, endpoint: 'openai', requestsPerMinute: 500 }) })
 */
export class SharedRateLimitScheduler extends Scheduler {
  /** The limiter's redacted address, for messages. */
  readonly location: string;
  private readonly client: Redis;
  private readonly owned: boolean;
  private readonly requestLimiter?: RateLimiterRedis;
  private readonly tokenLimiter?: RateLimiterRedis;
  private readonly waiting: Waiter[] = [];
  private sequenceNumber = 0;
  private pumping = false;

  constructor(private readonly shared: SharedRateLimitOptions) {
    super({ maxConcurrency: shared.maxConcurrency });
    const window = shared.windowSeconds ?? 60;
    if (!Number.isInteger(window) || window < 1) {
      throw new InvalidOptionError(`windowSeconds must be a whole number of seconds ≥ 1, got ${window}.`, {
        option: 'windowSeconds',
      });
    }
    for (const option of ['requestsPerMinute', 'tokensPerMinute'] as const) {
      const value = shared[option];
      if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
        throw new InvalidOptionError(`${option} must be a whole number ≥ 1, got ${value}.`, { option });
      }
    }
    this.location = describeConnection(shared.redis);
    this.owned = typeof shared.redis === 'string' || !('duplicate' in shared.redis);
    this.client = this.owned
      ? createClient(shared.redis, { lazyConnect: false, maxRetriesPerRequest: 1 })
      : (shared.redis as Redis);
    this.client.on('error', () => undefined);
    const prefix = `${shared.prefix ?? 'sigil:rate'}:${shared.endpoint}`;
    const limiter = (points: number, kind: string) =>
      new RateLimiterRedis({
        storeClient: this.client,
        keyPrefix: `${prefix}:${kind}`,
        points,
        duration: window,
        insuranceLimiter: new RateLimiterMemory({ points, duration: window }),
      });
    if (shared.requestsPerMinute) this.requestLimiter = limiter(shared.requestsPerMinute, 'requests');
    if (shared.tokensPerMinute) this.tokenLimiter = limiter(shared.tokensPerMinute, 'tokens');
  }

  /** Every request asks the shared limiter, so there is no synchronous path. */
  override tryAcquire(): SchedulerLease | undefined {
    return undefined;
  }

  /** Waits for the shared limiter (in priority order), then for a slot in this process. */
  override async acquire(options: AcquireOptions = {}): Promise<SchedulerLease> {
    if (options.signal?.aborted) throw options.signal.reason;
    const tokens = Math.min(options.tokens ?? 0, this.shared.tokensPerMinute ?? Infinity);
    await this.admit(priorityValue(options.priority), tokens, options.signal);
    const lease = await super.acquire(options);
    return {
      release: (actualTokens?: number) => {
        lease.release(actualTokens);
        if (actualTokens !== undefined && this.tokenLimiter && actualTokens !== tokens)
          this.correct(actualTokens - tokens);
      },
    };
  }

  /** Closes the connection this scheduler opened (a client you passed is left open). */
  async close(): Promise<void> {
    for (const waiter of this.waiting.splice(0)) waiter.reject(new Error('scheduler closed'));
    if (this.owned) await this.client.quit().catch(() => this.client.disconnect());
  }

  private admit(priority: number, tokens: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        if (waiter.done) return;
        waiter.done = true;
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        priority,
        sequence: this.sequenceNumber++,
        tokens,
        done: false,
        admit: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject,
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      // Lower priority numbers first, then arrival order: the in-process scheduler's rule.
      let at = this.waiting.length;
      while (at > 0 && this.waiting[at - 1].priority > priority) at--;
      this.waiting.splice(at, 0, waiter);
      void this.pumpShared();
    });
  }

  /** One loop per process: the head of the queue asks Redis; when refused, it waits out the window. */
  private async pumpShared(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.waiting.length > 0) {
        const head = this.waiting[0];
        if (head.done) {
          this.waiting.shift();
          continue;
        }
        const verdict = await this.tryConsume(head.tokens);
        if (head.done) continue;
        if (verdict.waitMs === 0) {
          this.waiting.shift();
          head.done = true;
          this.shared.onAdmission?.({
            at: Date.now(),
            windowEndsAt: verdict.windowEndsAt,
            priority: head.priority,
          });
          head.admit();
          continue;
        }
        await sleep(verdict.waitMs);
      }
    } finally {
      this.pumping = false;
    }
  }

  private async tryConsume(tokens: number): Promise<{ waitMs: number; windowEndsAt: number }> {
    let windowEndsAt = Date.now();
    if (this.requestLimiter) {
      const requests = await consume(this.requestLimiter, 1);
      if (requests.waitMs > 0) return requests;
      windowEndsAt = requests.windowEndsAt;
    }
    if (this.tokenLimiter && tokens > 0) {
      const spent = await consume(this.tokenLimiter, tokens);
      if (spent.waitMs > 0) {
        // The request was not sent: give its request back.
        await this.requestLimiter?.reward(KEY, 1).catch(() => undefined);
        return spent;
      }
      if (!this.requestLimiter) windowEndsAt = spent.windowEndsAt;
    }
    return { waitMs: 0, windowEndsAt };
  }

  private correct(delta: number): void {
    const limiter = this.tokenLimiter as RateLimiterRedis;
    const change = delta > 0 ? limiter.penalty(KEY, delta) : limiter.reward(KEY, -delta);
    change.catch(() => undefined);
  }
}

/** Every process counts against the same key; the endpoint is in the limiter's key prefix. */
const KEY = 'shared';

async function consume(
  limiter: RateLimiterRedis,
  points: number,
): Promise<{ waitMs: number; windowEndsAt: number }> {
  try {
    const result = await limiter.consume(KEY, points);
    return { waitMs: 0, windowEndsAt: Date.now() + result.msBeforeNext };
  } catch (refusal) {
    if (refusal instanceof RateLimiterRes)
      return { waitMs: Math.max(1, refusal.msBeforeNext), windowEndsAt: 0 };
    // Neither Redis nor the insurance limiter answered: wait a little and ask again.
    return { waitMs: 100, windowEndsAt: 0 };
  }
}
