/**
 * The response cache: an in-memory LRU (`lru-cache`) in front of a second tier, a {@link CacheStore} — the
 * {@link DiskStore} by default, or a store shared by processes (`@sigil/distributed`'s Redis store). Memory
 * hits return the stored object itself (deep-frozen), so a hit costs a map lookup — no I/O, no JSON parsing.
 */
import * as path from 'node:path';
import { LRUCache } from 'lru-cache';
import { InvalidOptionError } from '../errors/sigil-error';
import { CACHE_SHAPES } from './cache-shapes';
import type { CacheClaim, CacheStore } from './cache-store';
import { DiskStore, type DiskStoreStats } from './disk-store';

/**
 * - `read-write` (default): read and store answers.
 * - `read-only`: read existing answers, store nothing new.
 * - `off`: neither read nor store.
 * - `replay`: read only, and a miss is a `CacheMissError` instead of a network call (CI from a committed cache).
 */
export type CacheMode = 'read-write' | 'read-only' | 'off' | 'replay';

/** How a cache is set up. */
export interface CacheOptions {
  /** Default `'read-write'`. */
  mode?: CacheMode;
  /** Folder of the on-disk store (default `.sigil/cache` under the working directory); `false` keeps memory only. */
  dir?: string | false;
  /** Entries kept in memory (default 10,000). */
  maxEntries?: number;
  /** Approximate bytes of answers kept in memory (default 64 MB); the disk tier is not limited. */
  maxMemoryBytes?: number;
  /** Answers larger than this (default 1 MB) are kept on disk only, never in memory. */
  maxMemoryEntryBytes?: number;
  /**
   * Whether a value read from disk has the right shape (default: the check of Sigil's own namespaces,
   * `lm` and `embeddings`); a value that fails is a miss and is overwritten by the next answer.
   */
  validate?: (value: unknown) => boolean;
  /** The second tier instead of the disk folder (e.g. a Redis store shared by processes); excludes `dir`. */
  store?: CacheStore<any>;
}

/** Counters of one cache. */
export interface CacheStats {
  memoryHits: number;
  diskHits: number;
  misses: number;
  memoryEntries: number;
  disk?: DiskStoreStats;
  /** The counters of a `store` given in the options. */
  store?: object;
}

/** The default on-disk cache folder. */
export const DEFAULT_CACHE_DIR = path.join('.sigil', 'cache');

/** Bytes a value roughly holds: its strings' lengths plus 8 per other leaf (at least 1, as lru-cache asks). */
export function approximateSize(value: unknown): number {
  let size = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') size += item.length;
    else if (item !== null && typeof item === 'object') {
      for (const member of Array.isArray(item) ? item : Object.values(item)) stack.push(member);
    } else size += 8;
  }
  return Math.max(1, size);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

/**
 * A two-level cache of immutable values keyed by request digest.
 * @example `new ResponseCache('lm', { dir: '.sigil/cache', mode: 'replay' })`
 */
export class ResponseCache<V extends object> {
  readonly mode: CacheMode;
  private readonly memory: LRUCache<string, V>;
  /** The second tier: the disk folder, or the `store` of the options. */
  private readonly disk?: CacheStore<V>;
  private memoryHits = 0;
  private diskHits = 0;
  private misses = 0;

  constructor(namespace: string, options: CacheOptions = {}) {
    this.mode = options.mode ?? 'read-write';
    this.memory = new LRUCache<string, V>({
      max: options.maxEntries ?? 10_000,
      maxSize: options.maxMemoryBytes ?? 64_000_000,
      maxEntrySize: options.maxMemoryEntryBytes ?? 1_000_000,
      sizeCalculation: approximateSize,
    });
    if (options.store && options.dir !== undefined && options.dir !== false) {
      throw new InvalidOptionError(
        `Cache "${namespace}": give a dir or a store as its second tier, not both (store: ${options.store.location}).`,
        { option: 'cache.store' },
      );
    }
    const dir = options.dir === undefined ? DEFAULT_CACHE_DIR : options.dir;
    if (this.mode === 'off') return;
    // A store validates what it reads itself (a Redis store is given its check by whoever makes it).
    if (options.store) this.disk = options.store as CacheStore<V>;
    else if (dir !== false) {
      const validate =
        options.validate ?? (Object.hasOwn(CACHE_SHAPES, namespace) ? CACHE_SHAPES[namespace] : undefined);
      this.disk = new DiskStore<V>(path.resolve(dir, namespace), { validate });
    }
  }

  /** Whether lookups happen at all. */
  get readable(): boolean {
    return this.mode !== 'off';
  }

  /** Whether new answers are stored. */
  get writable(): boolean {
    return this.mode === 'read-write';
  }

  /** The folder entries are written to, if any. */
  get dir(): string | undefined {
    return this.disk instanceof DiskStore ? this.disk.dir : undefined;
  }

  /** The second tier (the disk folder's store, or the `store` of the options), if there is one. */
  get store(): CacheStore<V> | undefined {
    return this.disk;
  }

  /** Where the second tier keeps entries (a folder, or a store's redacted address), if there is one. */
  get location(): string | undefined {
    return this.disk?.location;
  }

  /**
   * After a miss, asks a shared store for the right to pay for `key`: resolves to the value another process
   * stored meanwhile, or to a claim to release once the answer is stored (undefined: no such store).
   */
  claim(key: string, signal?: AbortSignal): Promise<CacheClaim<V> | undefined> {
    if (!this.writable || !this.disk?.claim) return Promise.resolve(undefined);
    return this.disk.claim(key, signal).then((claim) => {
      if ('value' in claim) {
        this.diskHits++;
        this.misses--;
        this.memory.set(key, deepFreeze(claim.value));
      }
      return claim;
    });
  }

  /** Memory-only lookup: synchronous, allocation-free. */
  peek(key: string): V | undefined {
    const hit = this.memory.get(key);
    if (hit !== undefined) this.memoryHits++;
    return hit;
  }

  /** Memory, then disk (promoting a disk hit into memory). */
  async get(key: string): Promise<V | undefined> {
    return this.peek(key) ?? this.loadFromDisk(key);
  }

  /** Disk only (after a memory miss); a hit is promoted into memory. */
  async loadFromDisk(key: string): Promise<V | undefined> {
    const stored = this.disk ? await this.disk.read(key) : undefined;
    if (stored === undefined) {
      this.misses++;
      return undefined;
    }
    this.diskHits++;
    this.memory.set(key, deepFreeze(stored));
    return stored;
  }

  /** Stores a value in memory and on disk; a no-op unless the mode is `read-write`. */
  async set(key: string, value: V, model?: string): Promise<void> {
    if (!this.writable) return;
    this.memory.set(key, deepFreeze(value));
    if (this.disk) await this.disk.write(key, value, model);
  }

  /** Forgets an entry, in memory and on disk (an answer found unusable must not be replayed as good). */
  async delete(key: string): Promise<void> {
    this.memory.delete(key);
    if (this.disk && this.writable) await this.disk.remove(key);
  }

  /**
   * Waits for the disk writes in progress (a no-op for a memory-only cache). `lm.close()` calls it, and
   * it makes the cache a `Flushable` for `SigilModule`'s shutdown.
   */
  flush(): Promise<void> {
    return this.disk ? this.disk.flush() : Promise.resolve();
  }

  /** Drops the in-memory entries (the disk store is untouched). */
  clearMemory(): void {
    this.memory.clear();
  }

  /** A snapshot of the counters. */
  stats(): CacheStats {
    return {
      memoryHits: this.memoryHits,
      diskHits: this.diskHits,
      misses: this.misses,
      memoryEntries: this.memory.size,
      disk: this.disk instanceof DiskStore ? (this.disk.stats() as DiskStoreStats) : undefined,
      store: this.disk && !(this.disk instanceof DiskStore) ? this.disk.stats?.() : undefined,
    };
  }
}
