/**
 * One call to give every replica of a service (NestJS or not) the same LM cache and rate limit: an `LM`
 * whose cache has the Redis tier and, when limits are given, whose scheduler is shared through Redis.
 */
import { LM, type LMOptions, type LMResponse } from '@sigil/core';
import type { CacheMode, ResponseCache } from '@sigil/core/internal';
import { redisCache, redisStoreOf } from '../cache/redis-cache';
import type { RedisCacheStore } from '../cache/redis-store';
import { describeConnection, type RedisConnection } from '../redis/connection';
import { SharedRateLimitScheduler } from '../rate-limit/shared-scheduler';

/** Options of {@link sharedLM}: the LM's own, plus where Redis is and what is shared. */
export interface SharedLMOptions extends Omit<LMOptions, 'cache' | 'scheduler'> {
  redis: RedisConnection;
  /** Keeps projects apart on one Redis (default `'default'`). */
  namespace?: string;
  /** Cache entries expire after this many seconds (default: never). */
  ttlSeconds?: number;
  /** Default `'read-write'`. */
  cacheMode?: CacheMode;
  /** The window of the shared limits, in whole seconds (default 60). */
  windowSeconds?: number;
}

/** What every replica health-checks: Redis answering. */
export type RedisHealthResult<K extends string = string> = Record<
  K,
  { status: 'up' | 'down'; url: string; latencyMs?: number; message?: string }
>;

/** An LM with the shared cache (and limits), what to flush and close on shutdown, and a Redis health check. */
export class SharedLM {
  /** The redacted Redis address. */
  readonly url: string;

  constructor(
    readonly lm: LM,
    readonly cache: ResponseCache<LMResponse>,
    readonly scheduler: SharedRateLimitScheduler | undefined,
    private readonly store: RedisCacheStore<LMResponse>,
    connection: RedisConnection,
  ) {
    this.url = describeConnection(connection);
  }

  /** Waits for pending cache writes (what `SigilModule.forRoot({ cache })` calls on shutdown). */
  flush(): Promise<void> {
    return this.cache.flush();
  }

  /** Drains the LM, flushes and closes the Redis connections. */
  async close(timeoutMs?: number): Promise<void> {
    await this.lm.close(timeoutMs);
    await this.store.close();
    await this.scheduler?.close();
  }

  /**
   * `{ [key]: { status, url, latencyMs, message? } }` after a PING, in the shape `@nestjs/terminus` reads.
   * @example check() { return this.health.check([() => this.sigil.isHealthy('lm'), () => shared.isHealthy('redis')]); }
   */
  async isHealthy<K extends string = 'redis'>(
    key: K = 'redis' as K,
    timeoutMs = 2_000,
  ): Promise<RedisHealthResult<K>> {
    try {
      const latencyMs = await this.store.ping(timeoutMs);
      return { [key]: { status: 'up', url: this.url, latencyMs } } as RedisHealthResult<K>;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { [key]: { status: 'down', url: this.url, message } } as RedisHealthResult<K>;
    }
  }
}

/**
 * `new LM(model, options)` sharing its cache — and, with `requestsPerMinute` / `tokensPerMinute`, its rate
 * limit for the endpoint — with every process on the same Redis and namespace.
 * @example
 * const shared = sharedLM('openai/gpt-4o-mini', { redis: process.env.REDIS_URL!, namespace: 'support', requestsPerMinute: 500 });
 * SigilModule.forRoot({ lm: shared.lm, cache: shared });
 */
export function sharedLM(model: string, options: SharedLMOptions): SharedLM {
  const { redis, namespace, ttlSeconds, cacheMode, windowSeconds, ...lmOptions } = options;
  const cache = redisCache({ redis, namespace, ttlSeconds, mode: cacheMode });
  let scheduler: SharedRateLimitScheduler | undefined;
  if (lmOptions.requestsPerMinute !== undefined || lmOptions.tokensPerMinute !== undefined) {
    // The limit is per endpoint: its key is where the calls go.
    const endpoint = new LM(model, { ...lmOptions, cache: false }).baseURL;
    scheduler = new SharedRateLimitScheduler({
      redis,
      endpoint,
      requestsPerMinute: lmOptions.requestsPerMinute,
      tokensPerMinute: lmOptions.tokensPerMinute,
      windowSeconds,
      maxConcurrency: lmOptions.maxConcurrency,
    });
  }
  const lm = new LM(model, { ...lmOptions, cache, scheduler });
  return new SharedLM(lm, cache, scheduler, redisStoreOf(cache)!, redis);
}
