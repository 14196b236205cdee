import type { LMResponse } from '@sigil/core';
import { type CacheMode, ResponseCache } from '@sigil/core/internal';
import { InvalidOptionError } from '@sigil/core';
import { isLMResponse } from './lm-response-shape';
import { RedisCacheStore, type RedisCacheStoreOptions } from './redis-store';

/** Options of {@link redisCache}. */
export interface RedisCacheOptions extends Omit<RedisCacheStoreOptions<LMResponse>, 'validate'> {
  /** Default `'read-write'` (see the LM's cache modes). */
  mode?: CacheMode;
  /** Entries kept in this process's memory in front of Redis (default 10,000). */
  maxEntries?: number;
}

/**
 * An LM response cache whose second tier is Redis: the in-memory LRU first, then the entry every process on
 * the same Redis and namespace shares (same request key as the disk cache; entries validated on read), and
 * identical uncached requests asked by several processes at once paid for once.
 * @example const lm = new LM('openai/gpt-4o-mini', { cache: redisCache({ redis: process.env.REDIS_URL!, namespace: 'rag' }) });
 */
export function redisCache(options: RedisCacheOptions): ResponseCache<LMResponse> {
  const { mode, maxEntries, ...store } = options;
  if (store.ttlSeconds !== undefined && !(Number.isInteger(store.ttlSeconds) && store.ttlSeconds >= 1)) {
    throw new InvalidOptionError(
      `ttlSeconds must be a whole number of seconds ≥ 1, got ${store.ttlSeconds}.`,
      {
        option: 'ttlSeconds',
      },
    );
  }
  if (store.namespace !== undefined && !/^[\w.-]+$/.test(store.namespace)) {
    throw new InvalidOptionError(
      `namespace must be letters, digits, ".", "-" or "_", got ${JSON.stringify(store.namespace)}.`,
      { option: 'namespace' },
    );
  }
  return new ResponseCache<LMResponse>('lm', {
    mode,
    maxEntries,
    dir: false,
    store: new RedisCacheStore<LMResponse>({ ...store, validate: isLMResponse }),
  });
}

/** The Redis store under a cache made by {@link redisCache}, to close it on shutdown. */
export function redisStoreOf(cache: ResponseCache<LMResponse>): RedisCacheStore<LMResponse> | undefined {
  const store = cache.store;
  return store instanceof RedisCacheStore ? store : undefined;
}
