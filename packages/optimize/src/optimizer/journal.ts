import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { JournalError } from './errors';

const FORMAT = 'sigil-optimizer-journal/1';

interface Header {
  type: 'header';
  format: string;
  optimizer: string;
  fingerprint: string;
  startedAt: string;
}

interface Entry {
  type: 'entry';
  kind: string;
  key: string;
  value: unknown;
}

/**
 * A JSONL record of finished work (evaluated candidates, bootstrap runs…), one line per item, appended as
 * soon as the item is done. A run killed at any point leaves every finished item in the file; with
 * `resume`, a new run reads them back instead of redoing them. Without a file it is an in-memory memo.
 *
 * The first line names the run (optimizer, and a fingerprint of its options, program and data); resuming
 * a journal written for a different run is refused rather than silently mixing results.
 */
export class Journal {
  private readonly entries = new Map<string, unknown>();
  private writes: Promise<void> = Promise.resolve();
  /** Entries read back from an earlier run. */
  resumed = 0;

  private constructor(readonly file?: string) {}

  /** An in-memory journal (nothing survives the process). */
  static memory(): Journal {
    return new Journal();
  }

  /** Opens `file`: continues it when `resume` is set and it belongs to the same run, else starts it anew. */
  static async open(
    file: string,
    options: { resume: boolean; optimizer: string; fingerprint: string },
  ): Promise<Journal> {
    const journal = new Journal(file);
    if (options.resume && existsSync(file)) {
      await journal.load(options.optimizer, options.fingerprint);
      return journal;
    }
    await mkdir(dirname(file), { recursive: true });
    const header: Header = {
      type: 'header',
      format: FORMAT,
      optimizer: options.optimizer,
      fingerprint: options.fingerprint,
      startedAt: new Date().toISOString(),
    };
    await writeFile(file, `${JSON.stringify(header)}\n`);
    return journal;
  }

  /** The journaled value of `kind`/`key`, or undefined. */
  get<T>(kind: string, key: string): T | undefined {
    return this.entries.get(entryId(kind, key)) as T | undefined;
  }

  has(kind: string, key: string): boolean {
    return this.entries.has(entryId(kind, key));
  }

  /** Records a finished item; resolves once its line is in the file. */
  record(kind: string, key: string, value: unknown): Promise<void> {
    this.entries.set(entryId(kind, key), value);
    if (!this.file) return Promise.resolve();
    const line = `${JSON.stringify({ type: 'entry', kind, key, value } satisfies Entry)}\n`;
    const file = this.file;
    // One append at a time, so concurrent records never interleave within a line.
    this.writes = this.writes.then(() => appendFile(file, line));
    return this.writes;
  }

  private async load(optimizer: string, fingerprint: string): Promise<void> {
    const file = this.file!;
    const text = await readFile(file, 'utf8');
    const lines = text.split('\n');
    let header: Header | undefined;
    try {
      header = JSON.parse(lines[0]) as Header;
    } catch {
      header = undefined;
    }
    if (!header || header.type !== 'header' || header.format !== FORMAT) {
      throw new JournalError(
        `${file} is not a Sigil optimizer journal (line 1 is not its header) — pass another journal path or delete the file.`,
        { file },
      );
    }
    if (header.optimizer !== optimizer || header.fingerprint !== fingerprint) {
      throw new JournalError(
        `${file} was written by a different run (${header.optimizer}, started ${header.startedAt}): the optimizer, ` +
          `its options, the program or the data changed. Delete the file, pass another journal path, or set resume: false to start over.`,
        { file },
      );
    }
    let validLength = Buffer.byteLength(lines[0]) + 1;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i];
      if (line === '') {
        if (i < lines.length - 1) validLength += 1;
        continue;
      }
      let entry: Entry;
      try {
        entry = JSON.parse(line) as Entry;
      } catch {
        // A run killed mid-write leaves a partial last line: drop it (and cut it from the file).
        if (i >= lines.length - 2) break;
        throw new JournalError(
          `${file}, line ${i + 1}: not valid JSON — the journal is damaged; delete it to start over.`,
          { file },
        );
      }
      if (entry.type === 'entry') {
        this.entries.set(entryId(entry.kind, entry.key), entry.value);
        this.resumed++;
      }
      validLength += Buffer.byteLength(line) + 1;
    }
    const size = Buffer.byteLength(text);
    if (validLength < size) await truncate(file, validLength);
    else if (validLength > size) await appendFile(file, '\n');
  }
}

function entryId(kind: string, key: string): string {
  return `${kind}\u0000${key}`;
}

/**
 * A short stable hash of a run's defining inputs. Functions hash by name only, so that re-creating a
 * metric closure does not invalidate a journal.
 */
export function fingerprint(value: unknown): string {
  const text = JSON.stringify(value, (_key, v) => {
    if (typeof v === 'function') return `[function ${v.name}]`;
    if (typeof v === 'bigint') return v.toString();
    return v;
  });
  return createHash('sha256')
    .update(text ?? 'undefined')
    .digest('hex')
    .slice(0, 16);
}
