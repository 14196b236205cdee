import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type * as CsvParse from 'csv-parse';
import { DatasetError, type RowLocation } from './errors';
import { describeValue } from './example';

/** The file formats `loadDataset` reads; `tsv` is CSV with tabs. */
export type DatasetFormat = 'jsonl' | 'json' | 'csv' | 'tsv';

/** One record as read from the source, before `map` and checks: a row object, or the problem with it. */
export interface RawRecord {
  location: RowLocation;
  value?: Record<string, unknown>;
  problem?: string;
  /** Every value is text (a CSV or TSV cell): a signature check converts them to the fields' types. */
  text?: boolean;
}

const FORMAT_BY_EXTENSION: Record<string, DatasetFormat> = {
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.json': 'json',
  '.csv': 'csv',
  '.tsv': 'tsv',
};

/** The format of `file`: the explicit one, or the one its extension names. */
export function detectFormat(file: string, format?: DatasetFormat): DatasetFormat {
  if (format !== undefined) {
    if (!Object.values(FORMAT_BY_EXTENSION).includes(format)) {
      throw new DatasetError(`Unknown dataset format "${format}"`, {
        location: { file },
        hint: "use format: 'jsonl', 'json', 'csv' or 'tsv'",
      });
    }
    return format;
  }
  const detected = FORMAT_BY_EXTENSION[extname(file).toLowerCase()];
  if (!detected) {
    throw new DatasetError(`Cannot tell the format from the extension "${extname(file) || '(none)'}"`, {
      location: { file },
      hint: "name the file .jsonl, .json, .csv or .tsv, or pass format: 'jsonl' | 'json' | 'csv' | 'tsv'",
    });
  }
  return detected;
}

/** Throws a `DatasetError` unless `file` is a readable regular file. */
export async function assertReadableFile(file: string): Promise<void> {
  try {
    const info = await stat(file);
    if (!info.isFile())
      throw new DatasetError('Not a file', {
        location: { file },
        hint: 'pass the path of a .jsonl, .json or .csv file',
      });
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new DatasetError(`File not found (resolved to ${resolve(file)})`, {
        location: { file },
        hint: 'check the path; relative paths start at the current directory',
      });
    }
    throw new DatasetError(`Cannot read the file: ${(error as Error).message}`, {
      location: { file },
      cause: error,
    });
  }
}

/** Reads records one by one, in constant memory for JSONL and CSV; JSON arrays are read whole. */
export function readRecords(file: string, format: DatasetFormat): AsyncGenerator<RawRecord> {
  switch (format) {
    case 'jsonl':
      return readJsonLines(file);
    case 'json':
      return readJsonArray(file);
    case 'csv':
      return readCsv(file, ',');
    case 'tsv':
      return readCsv(file, '\t');
  }
}

/** In-memory rows, with the same record shape (`<rows>`, 1-based row numbers). */
export async function* readRows(rows: readonly unknown[]): AsyncGenerator<RawRecord> {
  for (let index = 0; index < rows.length; index++) {
    yield objectRecord(rows[index], { file: '<rows>', row: index + 1 });
  }
}

async function* readJsonLines(file: string): AsyncGenerator<RawRecord> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  let row = 0;
  for await (const text of lines) {
    line++;
    const content = line === 1 ? stripByteOrderMark(text) : text;
    if (content.trim() === '') continue;
    row++;
    const location = { file, line, row };
    let value: unknown;
    try {
      value = JSON.parse(content);
    } catch (error) {
      yield { location, problem: `invalid JSON (${(error as Error).message})` };
      continue;
    }
    yield objectRecord(value, location);
  }
}

async function* readJsonArray(file: string): AsyncGenerator<RawRecord> {
  const text = stripByteOrderMark(await readFile(file, 'utf8'));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message);
    const line = position ? text.slice(0, Number(position[1])).split('\n').length : undefined;
    throw new DatasetError(`Invalid JSON (${(error as Error).message})`, {
      location: { file, line },
      hint: 'fix the file; for one JSON object per line name it .jsonl',
    });
  }
  if (!Array.isArray(parsed)) {
    throw new DatasetError(`Expected a JSON array of row objects, got ${describeValue(parsed)}`, {
      location: { file },
      hint: 'wrap the rows in [ … ], or write one object per line in a .jsonl file',
    });
  }
  for (let index = 0; index < parsed.length; index++) {
    yield objectRecord(parsed[index], { file, row: index + 1 });
  }
}

async function* readCsv(file: string, delimiter: string): AsyncGenerator<RawRecord> {
  // Required here, not at import: only CSV and TSV files need the parser.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parse: parseCsv } = require('csv-parse') as typeof CsvParse;
  const parser = createReadStream(file).pipe(
    parseCsv({ delimiter, bom: true, info: true, relax_column_count: true, skip_empty_lines: true }),
  );
  let header: string[] | undefined;
  let row = 0;
  let previousEnd = 0;
  let previousEmpty = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: CsvInfo }>) {
      // csv-parse reports the line a record ends on; it starts after the previous one and any blank lines.
      const line = previousEnd + 1 + (info.empty_lines - previousEmpty);
      previousEnd = info.lines;
      previousEmpty = info.empty_lines;
      if (!header) {
        header = checkHeader(record, file);
        continue;
      }
      row++;
      const location = { file, line, row };
      if (record.length !== header.length) {
        yield {
          location,
          problem: `has ${record.length} field${record.length === 1 ? '' : 's'} but the header has ${header.length} (${header.join(', ')})`,
        };
        continue;
      }
      // fromEntries defines own properties, so a column named "__proto__" stays a plain field (as in JSONL).
      const value: Record<string, unknown> = Object.fromEntries(
        header.map((column, index) => [column, record[index]]),
      );
      yield { location, value, text: true };
    }
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    const csvError = error as Error & { lines?: number };
    // The record that failed starts after the last good one; the parser reports where it gave up (for an
    // unclosed quote, the end of the file), which is said too when it differs.
    const start = header ? previousEnd + 1 : 1;
    const stopped =
      csvError.lines !== undefined && csvError.lines !== start
        ? `; the parser stopped at line ${csvError.lines}`
        : '';
    throw new DatasetError(`Malformed CSV record (${csvError.message}${stopped})`, {
      location: { file, line: start, row: header ? row + 1 : undefined },
      hint: 'fix the record that starts on this line',
    });
  } finally {
    parser.destroy();
  }
}

interface CsvInfo {
  lines: number;
  empty_lines: number;
}

function checkHeader(record: string[], file: string): string[] {
  const seen = new Set<string>();
  for (const column of record) {
    if (seen.has(column)) {
      throw new DatasetError(`The CSV header names the column "${column}" twice`, {
        location: { file, line: 1 },
        hint: 'rename one',
      });
    }
    seen.add(column);
  }
  return record;
}

function objectRecord(value: unknown, location: RowLocation): RawRecord {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { location, problem: `expected an object of fields, got ${describeValue(value)}` };
  }
  return { location, value: value as Record<string, unknown> };
}

function stripByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
