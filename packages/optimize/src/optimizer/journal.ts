import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, open as openFile, readFile, truncate, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { JournalError } from './errors';

const FORMAT = 'sigil-optimizer-journal/1';

/**
 * What identifies a run, part by part (each a short hash or a readable text): a resumed run must match
 * every part, and a refusal names the parts that differ.
 */
export type RunIdentity = Readonly<Record<string, string>>;

interface Header {
  type: 'header';
  format: string;
  optimizer: string;
  fingerprint: string;
  /** Per part of the identity (absent in journals written before parts were kept). */
  identity?: RunIdentity;
  startedAt: string;
}

interface Entry {
  type: 'entry';
  kind: string;
  key: string;
  value: unknown;
}

/** How to open a journal file. */
export interface JournalOpenOptions {
  /** Continue the run the file records (it must be the same run). */
  resume: boolean;
  /** Start over even though a journal of an earlier run is there (never overwrites a file that is not one). */
  fresh?: boolean;
  optimizer: string;
  identity: RunIdentity;
}

/**
 * A JSONL record of finished work (evaluated candidates, bootstrap runs…), one line per item, appended as
 * soon as the item is done. A run killed at any point leaves every finished item in the file; with
 * `resume`, a new run reads them back instead of redoing them. Without a file it is an in-memory memo.
 *
 * The first line names the run (optimizer, and the parts of its identity: settings, metric, program,
 * data); resuming a journal written for a different run is refused with the parts that differ, an
 * existing journal is never silently restarted, and a file that is not a journal is never overwritten.
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

  /** Opens `file`: continues it with `resume`, starts it with `fresh` (or when there is none). */
  static async open(file: string, options: JournalOpenOptions): Promise<Journal> {
    const journal = new Journal(file);
    const exists = existsSync(file);
    if (exists && options.resume) {
      await journal.load(options.optimizer, options.identity);
      return journal;
    }
    if (exists) {
      const header = await readHeader(file);
      if (!header) {
        throw new JournalError(
          `${file} exists and is not a Sigil optimizer journal; it is left untouched — pass another journal path.`,
          { file, code: 'JOURNAL_NOT_A_JOURNAL' },
        );
      }
      if (!options.fresh) {
        throw new JournalError(
          `${file} already holds the journal of a ${header.optimizer} run started ${header.startedAt}. ` +
            'Continue it with resume (sigil: --resume), or start over with fresh (sigil: --fresh), which replaces it.',
          { file, code: 'JOURNAL_EXISTS' },
        );
      }
    }
    await mkdir(dirname(file), { recursive: true });
    const header: Header = {
      type: 'header',
      format: FORMAT,
      optimizer: options.optimizer,
      fingerprint: fingerprint(options.identity),
      identity: options.identity,
      startedAt: new Date().toISOString(),
    };
    await writeFile(file, `${JSON.stringify(header)}\n`);
    return journal;
  }

  /** The journaled value of `kind`/`key`, or undefined. */
  get<T>(kind: string, key: string): T | undefined {
    return this.entries.get(entryId(kind, key)) as T | undefined;
  }

  /** Whether the journal holds an entry of this kind and key. */
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

  /** Every entry of `kind`, in the order recorded (a journal read back, or written so far). */
  entriesOf<T>(kind: string): { key: string; value: T }[] {
    const prefix = `${kind}\u0000`;
    return [...this.entries]
      .filter(([id]) => id.startsWith(prefix))
      .map(([id, value]) => ({ key: id.slice(prefix.length), value: value as T }));
  }

  private async load(optimizer: string, identity: RunIdentity): Promise<void> {
    const file = this.file!;
    const text = await readFile(file, 'utf8');
    const lines = text.split('\n');
    const header = parseHeader(lines[0]);
    if (!header) {
      throw new JournalError(
        `${file} is not a Sigil optimizer journal (line 1 is not its header) — pass another journal path, or delete the file.`,
        { file, code: 'JOURNAL_NOT_A_JOURNAL' },
      );
    }
    const differences = differencesOf(header, optimizer, identity);
    if (differences.length > 0) {
      throw new JournalError(
        `${file} was written by a different run (${header.optimizer}, started ${header.startedAt}): ` +
          `${differences.join('; ')}. Resuming would mix its results with this run's — start over with ` +
          'fresh (sigil: --fresh), or pass another journal path.',
        { file, code: 'JOURNAL_MISMATCH', differences },
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
          `${file}, line ${i + 1}: not valid JSON — the journal is damaged; start over with fresh (sigil: --fresh).`,
          { file, code: 'JOURNAL_DAMAGED' },
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

function parseHeader(line: string | undefined): Header | undefined {
  try {
    const header = JSON.parse(line ?? '') as Header;
    return header?.type === 'header' && header.format === FORMAT ? header : undefined;
  } catch {
    return undefined;
  }
}

/** The header of `file` when its first line is one, read without loading the whole file. */
async function readHeader(file: string): Promise<Header | undefined> {
  const handle = await openFile(file, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return parseHeader(buffer.subarray(0, bytesRead).toString('utf8').split('\n')[0]);
  } finally {
    await handle.close();
  }
}

/** Which parts of the run differ, readable (`metric: exactMatch(answer) → f1(label)`). */
function differencesOf(header: Header, optimizer: string, identity: RunIdentity): string[] {
  if (header.optimizer !== optimizer) return [`optimizer: ${header.optimizer} → ${optimizer}`];
  if (!header.identity) {
    return header.fingerprint === fingerprint(identity)
      ? []
      : ['it was written by an earlier Sigil version, whose run identity cannot be compared part by part'];
  }
  const out: string[] = [];
  for (const part of new Set([...Object.keys(header.identity), ...Object.keys(identity)])) {
    const before = header.identity[part];
    const now = identity[part];
    if (before === now) continue;
    out.push(readable(part) ? `${part}: ${before ?? '(none)'} → ${now ?? '(none)'}` : `${part} changed`);
  }
  return out;
}

/** Parts kept as readable text (names), not hashes. */
const readable = (part: string) => part === 'metric' || part === 'program';

function entryId(kind: string, key: string): string {
  return `${kind}\u0000${key}`;
}

/**
 * A short stable hash of a value. Functions hash by name and source text, so two different metrics or
 * callbacks never share a fingerprint while a re-created closure of the same code does.
 */
export function fingerprint(value: unknown, replacer?: (key: string, value: unknown) => unknown): string {
  const text = JSON.stringify(value, (key, raw) => {
    const v = replacer ? replacer(key, raw) : raw;
    if (typeof v === 'function') return `[function ${v.name}#${hash(Function.prototype.toString.call(v))}]`;
    if (typeof v === 'bigint') return v.toString();
    return v;
  });
  return hash(text ?? 'undefined');
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
