/**
 * The Redis tier of the LM cache: one string per entry under `<prefix>:<namespace>:<key>` (the same request
 * key the disk cache uses), an optional TTL, and a short lock per key so that when several processes ask
 * the same uncached request at once, one pays and the others wait for its answer.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { type CacheClaim, type CacheStore, PendingWrites } from '@sigil/core/internal';
import { createClient, describeConnection, type RedisConnection } from '../redis/connection';

const FORMAT_VERSION = 1;

/** Options of a {@link RedisCacheStore}. */
export interface RedisCacheStoreOptions<V> {
  /** Where Redis is. A client you pass is used as it is and not closed by `close()`. */
  redis: RedisConnection;
  /** Keeps projects apart on one Redis (default `'default'`). */
  namespace?: string;
  /** Entries expire after this many seconds (default: never). */
  ttlSeconds?: number;
  /** How long a claim holds a key before it expires unless renewed (default 10 s; renewed while held). */
  lockMs?: number;
  /** How often a waiting process looks for the holder's answer (default 25 ms). */
  pollMs?: number;
  /** Checks a value read back; anything it rejects is a miss (default: any JSON value). */
  validate?: (value: unknown) => value is V;
  /** Prefix of every key (default `'sigil:cache'`). */
  prefix?: string;
}

interface StoredEntry<V> {
  version: number;
  key: string;
  model?: string;
  createdAt: string;
  value: V;
}

// Deletes the lock only when it is still ours (a claim that outlived its expiry must not free another's).
const RELEASE_SCRIPT =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";
const RENEW_SCRIPT =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0";

/**
 * A cache store (the second tier of a `ResponseCache`) on Redis, shared by every process that points at the same Redis and namespace.
 * Reads are validated (a bad entry is a miss and is counted); write failures are counted, never thrown.
 * @example new LM('openai/gpt-4o-mini', { cache: redisCache({ redis: 'redis://127.0.0.1:6379', namespace: 'rag' }) })
 */
export class RedisCacheStore<V> implements CacheStore<V> {
  readonly location: string;
  readonly namespace: string;
  private readonly client: Redis;
  private readonly owned: boolean;
  private readonly prefix: string;
  private readonly pending = new PendingWrites();
  private readonly counters = {
    reads: 0,
    hits: 0,
    invalid: 0,
    writes: 0,
    writeErrors: 0,
    readErrors: 0,
    waits: 0,
    waitHits: 0,
  };

  constructor(private readonly options: RedisCacheStoreOptions<V>) {
    this.namespace = options.namespace ?? 'default';
    this.prefix = `${options.prefix ?? 'sigil:cache'}:${this.namespace}`;
    this.location = `${describeConnection(options.redis)} (namespace ${this.namespace})`;
    this.owned = typeof options.redis === 'string' || !('duplicate' in options.redis);
    this.client = this.owned ? createClient(options.redis, { lazyConnect: false }) : (options.redis as Redis);
    // A lost connection makes reads misses and writes counted failures; ioredis reconnects by itself.
    this.client.on('error', () => undefined);
  }

  /** The Redis key of a cache key. */
  keyOf(key: string): string {
    return `${this.prefix}:${key}`;
  }

  async read(key: string): Promise<V | undefined> {
    this.counters.reads++;
    let text: string | null;
    try {
      text = await this.client.get(this.keyOf(key));
    } catch {
      this.counters.readErrors++;
      return undefined;
    }
    if (text === null) return undefined;
    const value = this.parse(text, key);
    if (value === undefined) this.counters.invalid++;
    else this.counters.hits++;
    return value;
  }

  write(key: string, value: V, model?: string): Promise<boolean> {
    return this.pending.track(this.store(key, value, model));
  }

  async remove(key: string): Promise<void> {
    await this.flush();
    await this.client.del(this.keyOf(key)).catch(() => undefined);
  }

  async flush(): Promise<void> {
    await this.pending.settled();
  }

  /**
   * Takes the key's lock (`SET NX PX`), or waits for whoever holds it: their answer, once stored, is the
   * value; a lock that disappears without an answer (the holder failed or died and it expired) is taken.
   */
  async claim(key: string, signal?: AbortSignal): Promise<CacheClaim<V>> {
    const lockKey = `${this.keyOf(key)}:lock`;
    const token = randomBytes(8).toString('hex');
    const lockMs = this.options.lockMs ?? 10_000;
    const pollMs = this.options.pollMs ?? 25;
    let waited = false;
    for (;;) {
      let taken: string | null;
      try {
        taken = await this.client.set(lockKey, token, 'PX', lockMs, 'NX');
      } catch {
        // Without Redis there is no one to share with: pay, as a process on its own would.
        return { release: async () => undefined };
      }
      if (taken === 'OK') {
        // Someone may have stored the answer and released the lock between our miss and now.
        const stored = waited ? undefined : await this.read(key);
        if (stored !== undefined) {
          await this.unlock(lockKey, token);
          return { value: stored };
        }
        return this.held(lockKey, token, lockMs);
      }
      if (!waited) this.counters.waits++;
      waited = true;
      while (!signal?.aborted) {
        await sleep(pollMs);
        const value = await this.read(key);
        if (value !== undefined) {
          this.counters.waitHits++;
          return { value };
        }
        const holder = await this.client.exists(lockKey).catch(() => 0);
        if (holder === 0) break;
      }
      if (signal?.aborted) return { release: async () => undefined };
    }
  }

  /** Milliseconds Redis took to answer a PING; rejects when it cannot be reached. */
  async ping(timeoutMs = 2_000): Promise<number> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.client.ping(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
    return Math.round(performance.now() - started);
  }

  /** Closes the connection this store opened (a client you passed is left open). */
  async close(): Promise<void> {
    await this.flush();
    if (this.owned) await this.client.quit().catch(() => this.client.disconnect());
  }

  stats(): Record<string, number> {
    return { ...this.counters };
  }

  private held(lockKey: string, token: string, lockMs: number): CacheClaim<V> {
    const renew = setInterval(() => {
      this.client.eval(RENEW_SCRIPT, 1, lockKey, token, String(lockMs)).catch(() => undefined);
    }, lockMs / 2);
    renew.unref();
    return {
      release: async () => {
        clearInterval(renew);
        await this.unlock(lockKey, token);
      },
    };
  }

  private async unlock(lockKey: string, token: string): Promise<void> {
    await this.client.eval(RELEASE_SCRIPT, 1, lockKey, token).catch(() => undefined);
  }

  private parse(text: string, key: string): V | undefined {
    try {
      const entry = JSON.parse(text) as StoredEntry<V>;
      if (entry?.version !== FORMAT_VERSION || entry.key !== key || entry.value === undefined)
        return undefined;
      if (this.options.validate && !this.options.validate(entry.value)) return undefined;
      return entry.value;
    } catch {
      return undefined;
    }
  }

  private async store(key: string, value: V, model?: string): Promise<boolean> {
    const entry: StoredEntry<V> = {
      version: FORMAT_VERSION,
      key,
      model,
      createdAt: new Date().toISOString(),
      value,
    };
    try {
      const text = JSON.stringify(entry);
      const ttl = this.options.ttlSeconds;
      if (ttl !== undefined) await this.client.set(this.keyOf(key), text, 'EX', ttl);
      else await this.client.set(this.keyOf(key), text);
      this.counters.writes++;
      return true;
    } catch {
      this.counters.writeErrors++;
      return false;
    }
  }
}
