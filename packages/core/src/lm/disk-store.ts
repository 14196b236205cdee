/**
 * The on-disk half of the cache: one JSON file per entry under `<dir>/<namespace>/<2 hex>/<key>.json`.
 * Writes go to a unique temp file that is then renamed over the entry, and rename is atomic on one
 * filesystem, so readers see the old entry or the new one, never half of either — even with several
 * processes writing the same key at once. Anything unreadable is a miss (and the next write replaces it).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { logWarning } from '../logging/log';
import type { CacheStore } from './cache-store';
import { PendingWrites } from './pending-writes';

const FORMAT_VERSION = 1;

interface StoredEntry<V> {
  version: number;
  key: string;
  model?: string;
  createdAt: string;
  value: V;
}

/** Counters of the disk store, for diagnostics. */
export interface DiskStoreStats {
  reads: number;
  hits: number;
  /** Entries that existed but could not be parsed (truncated, corrupt, wrong version). */
  corrupt: number;
  writes: number;
  writeErrors: number;
}

/** How a {@link DiskStore} checks what it reads. */
export interface DiskStoreOptions {
  /** Whether a stored value has the right shape; one that does not is a miss (counted as corrupt). */
  validate?: (value: unknown) => boolean;
}

/** A folder of cache entries shared safely between processes. */
export class DiskStore<V> implements CacheStore<V> {
  private readonly createdDirs = new Set<string>();
  private readonly counters: DiskStoreStats = { reads: 0, hits: 0, corrupt: 0, writes: 0, writeErrors: 0 };
  private readonly pending = new PendingWrites();
  private readonly validate?: (value: unknown) => boolean;
  /** Set by the first failed write: the folder cannot be written, so this run stops trying. */
  private unwritable = false;

  constructor(
    readonly dir: string,
    options: DiskStoreOptions = {},
  ) {
    this.validate = options.validate;
  }

  /** False once a write has failed (warned about once); reads still work. */
  get writable(): boolean {
    return !this.unwritable;
  }

  /** The folder, for messages. */
  get location(): string {
    return this.dir;
  }

  /** The file an entry lives in. */
  pathOf(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  /** The stored value, or undefined when absent or unreadable. */
  async read(key: string): Promise<V | undefined> {
    this.counters.reads++;
    let text: string;
    try {
      text = await fs.readFile(this.pathOf(key), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const entry = JSON.parse(text) as StoredEntry<V>;
      if (
        entry?.version !== FORMAT_VERSION ||
        entry.key !== key ||
        entry.value === undefined ||
        (this.validate !== undefined && !this.validate(entry.value))
      ) {
        this.counters.corrupt++;
        return undefined;
      }
      this.counters.hits++;
      return entry.value;
    } catch {
      this.counters.corrupt++;
      return undefined;
    }
  }

  /**
   * Writes an entry atomically (temp file + rename). Failures are counted, never thrown; the first one
   * warns (`SIGIL_CACHE_UNWRITABLE`) and turns writing off for the rest of the run.
   */
  write(key: string, value: V, model?: string): Promise<boolean> {
    if (this.unwritable) return Promise.resolve(false);
    return this.pending.track(this.writeEntry(key, value, model));
  }

  /** Removes an entry (after the writes in progress, so a write cannot bring it back); absent is fine. */
  async remove(key: string): Promise<void> {
    await this.flush();
    await fs.rm(this.pathOf(key), { force: true }).catch(() => undefined);
  }

  /**
   * Resolves when every write started so far has reached the disk (or failed). The store keeps no file
   * open between operations, so this is all closing it takes.
   */
  async flush(): Promise<void> {
    await this.pending.settled();
  }

  private async writeEntry(key: string, value: V, model?: string): Promise<boolean> {
    const file = this.pathOf(key);
    const folder = path.dirname(file);
    const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    const entry: StoredEntry<V> = {
      version: FORMAT_VERSION,
      key,
      model,
      createdAt: new Date().toISOString(),
      value,
    };
    try {
      if (!this.createdDirs.has(folder)) {
        await fs.mkdir(folder, { recursive: true });
        this.createdDirs.add(folder);
      }
      await fs.writeFile(temp, JSON.stringify(entry));
      await fs.rename(temp, file);
      this.counters.writes++;
      return true;
    } catch (error) {
      this.counters.writeErrors++;
      await fs.rm(temp, { force: true }).catch(() => undefined);
      this.stopWriting(error);
      return false;
    }
  }

  private stopWriting(error: unknown): void {
    if (this.unwritable) return;
    this.unwritable = true;
    const code = (error as { code?: unknown })?.code;
    const reason = `${typeof code === 'string' ? `${code}: ` : ''}${(error as Error)?.message ?? String(error)}`;
    logWarning(
      'SIGIL_CACHE_UNWRITABLE',
      `Sigil cache: cannot write to ${this.dir} (${reason}). Going on without the disk cache for this run, ` +
        'so answers are not kept for the next one: make the folder writable, or set the cache option ' +
        '`dir` to another folder (or `dir: false` for memory only).',
    );
  }

  /** A copy of the counters. */
  stats(): DiskStoreStats {
    return { ...this.counters };
  }
}
