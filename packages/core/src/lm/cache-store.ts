/**
 * The contract of a response cache's second tier (under the in-memory LRU): the disk folder by default,
 * or a store several processes share, such as `@sigil/distributed`'s Redis store. Internal to Sigil's
 * packages: users pick a store, they do not implement one.
 */

/**
 * What a shared store answers to a claim on a key nobody has cached: the value another process stored
 * while this one waited (`value`), or the right to pay for it, to `release` once the answer is stored or
 * the call failed (`release`). A holder that dies never blocks others: its claim expires.
 */
export type CacheClaim<V> = { readonly value: V } | { release(): Promise<void> };

/** A second cache tier. Reads validate what they find: anything unusable is a miss, never an error. */
export interface CacheStore<V> {
  /** Where entries live, for messages (a folder, a redacted URL). */
  readonly location: string;
  /** The stored value, or undefined when absent or unusable. */
  read(key: string): Promise<V | undefined>;
  /** Stores a value; failures are counted, never thrown (the answer is still returned to the caller). */
  write(key: string, value: V, model?: string): Promise<boolean>;
  /** Deletes an entry (an answer found unusable after it was stored). */
  remove(key: string): Promise<void>;
  /** Resolves when every write started so far has finished. */
  flush(): Promise<void>;
  /** Cross-process de-duplication of identical uncached requests (see {@link CacheClaim}); optional. */
  claim?(key: string, signal?: AbortSignal): Promise<CacheClaim<V>>;
  /** Counters, for `cache.stats().store`. */
  stats?(): object;
}
