import {
  assertReadableFile,
  detectFormat,
  readRecords,
  readRows,
  type DatasetFormat,
  type RawRecord,
} from './dataset-readers';
import { DatasetError, describeLocation, ExampleError, type RowLocation } from './errors';
import { Example } from './example';
import {
  convertRow,
  resolveRowCheck,
  type RowCheck,
  type RowValidator,
  signatureOfValidator,
} from './row-validation';
import { logWarning } from '../logging/log';

/** A row that was skipped (`onError: 'skip'`): where it is and what is wrong with it. */
export interface SkippedRow extends RowLocation {
  problem: string;
  /** The field the problem is about, when a `validateWith` check names one. */
  field?: string;
}

/** Options of `loadDataset` and `streamDataset`. */
export interface DatasetOptions<T extends object, K extends keyof T & string> {
  /** The fields the program receives; the others are labels for the metric. At least one. */
  inputs: readonly K[];
  /** Transforms each parsed row before it becomes an Example; return `undefined` to drop a row silently. */
  map?: (row: Record<string, any>, location: RowLocation) => T | undefined | null;
  /**
   * Checks each (mapped) row: a function returning the row's problem, or a signature (class or
   * `signature('…')`) whose fields every row must have, with values of the right types and constraints.
   * @example loadDataset('qa.jsonl', { inputs: ['question'], validateWith: QA, onError: 'skip' })
   */
  validateWith?: RowValidator;
  /** On a malformed row: throw a `DatasetError` (`'fail'`, the default) or skip it and report it. */
  onError?: 'fail' | 'skip';
  /** The file format, when the extension does not tell (`.jsonl`/`.ndjson`, `.json`, `.csv`, `.tsv`). */
  format?: DatasetFormat;
  /** Called for each skipped row (with `onError: 'skip'`). */
  onSkip?: (skipped: SkippedRow) => void;
}

/** What `loadDataset` returns: the examples in file order, and the rows skipped with their problems. */
export interface LoadedDataset<T extends object, K extends keyof T & string> {
  examples: Example<T, K>[];
  skipped: SkippedRow[];
}

/**
 * Loads a JSONL, JSON-array or CSV/TSV file (or in-memory rows) into Examples with the given inputs marked.
 * CSV values stay strings (convert them in `map`). Malformed rows throw a `DatasetError` naming file, line
 * and problem, or with `onError: 'skip'` are left out and listed in `skipped`.
 * @example
 * const { examples, skipped } = await loadDataset('data/qa.jsonl', { inputs: ['question'], onError: 'skip' });
 */
export async function loadDataset<
  T extends object = Record<string, any>,
  K extends keyof T & string = keyof T & string,
>(source: string | readonly object[], options: DatasetOptions<T, K>): Promise<LoadedDataset<T, K>> {
  const skipped: SkippedRow[] = [];
  const examples: Example<T, K>[] = [];
  const records =
    typeof source === 'string' ? await openFile(source, options, false) : readRows(checkRowsArray(source));
  const build = exampleBuilder(options, (entry) => {
    skipped.push(entry);
    options.onSkip?.(entry);
  });
  for await (const record of records) {
    const example = build(record);
    if (example) examples.push(example);
  }
  return { examples, skipped };
}

/**
 * Streams Examples from a JSONL or CSV/TSV file in constant memory (a 1 GB file never sits in memory).
 * With `onError: 'skip'`, skipped rows go to `onSkip`; without one, a single process warning summarises them.
 * @example for await (const example of streamDataset('big.jsonl', { inputs: ['question'] })) { … }
 */
export function streamDataset<
  T extends object = Record<string, any>,
  K extends keyof T & string = keyof T & string,
>(file: string, options: DatasetOptions<T, K>): AsyncIterable<Example<T, K>> {
  return {
    async *[Symbol.asyncIterator]() {
      let skippedCount = 0;
      let firstSkipped: SkippedRow | undefined;
      const build = exampleBuilder(options, (entry) => {
        skippedCount++;
        firstSkipped ??= entry;
        options.onSkip?.(entry);
      });
      for await (const record of await openFile(file, options, true)) {
        const example = build(record);
        if (example) yield example;
      }
      if (skippedCount > 0 && !options.onSkip && firstSkipped) {
        logWarning(
          'SIGIL_DATASET_SKIPPED',
          `streamDataset skipped ${skippedCount} malformed row(s) of "${file}", first ${describeLocation(firstSkipped)}: ${firstSkipped.problem}. Pass onSkip to receive each one.`,
        );
      }
    },
  };
}

async function openFile(
  file: string,
  options: DatasetOptions<any, any>,
  streaming: boolean,
): Promise<AsyncGenerator<RawRecord>> {
  if (typeof file !== 'string' || file === '') {
    throw new DatasetError('A dataset path must be a non-empty string', {
      hint: 'pass a file path or an array of rows',
    });
  }
  const format = detectFormat(file, options.format);
  if (streaming && format === 'json') {
    throw new DatasetError('A JSON array cannot be streamed', {
      location: { file },
      hint: 'convert it to JSONL (one object per line) or use loadDataset',
    });
  }
  await assertReadableFile(file);
  return readRecords(file, format);
}

function checkRowsArray(rows: readonly object[]): readonly object[] {
  if (!Array.isArray(rows)) {
    throw new DatasetError('loadDataset takes a file path or an array of row objects', {
      hint: 'pass one of those',
    });
  }
  return rows;
}

/** Turns raw records into Examples, applying map, input and validation checks, and the error policy. */
function exampleBuilder<T extends object, K extends keyof T & string>(
  options: DatasetOptions<T, K>,
  skip: (entry: SkippedRow) => void,
): (record: RawRecord) => Example<T, K> | undefined {
  const inputs = checkInputs(options.inputs);
  const check: RowCheck | undefined = options.validateWith
    ? resolveRowCheck(options.validateWith)
    : undefined;
  const typed = options.validateWith ? signatureOfValidator(options.validateWith) : undefined;
  const onError = options.onError ?? 'fail';
  if (onError !== 'fail' && onError !== 'skip') {
    throw new DatasetError(`Unknown onError "${String(onError)}"`, { hint: "use 'fail' or 'skip'" });
  }
  const reject = (location: RowLocation, problem: string, field?: string): undefined => {
    const where = field === undefined ? location : { ...location, field };
    if (onError === 'fail') {
      throw new DatasetError(problem, {
        location: where,
        hint: "fix the row, or pass onError: 'skip' to skip it and have it reported",
      });
    }
    skip({ ...where, problem });
    return undefined;
  };
  return (record) => {
    if (record.problem !== undefined || !record.value)
      return reject(record.location, record.problem ?? 'empty row');
    let row: Record<string, unknown> = record.value;
    if (options.map) {
      let mapped: unknown;
      try {
        mapped = options.map(row, record.location);
      } catch (error) {
        return reject(record.location, `map threw: ${(error as Error).message}`);
      }
      if (mapped === undefined || mapped === null) return undefined;
      if (typeof mapped !== 'object' || Array.isArray(mapped)) {
        return reject(
          record.location,
          `map returned ${Array.isArray(mapped) ? 'an array' : typeof mapped}, not an object`,
        );
      }
      row = mapped as Record<string, unknown>;
    }
    const missing = inputs.filter((key) => row[key] === undefined);
    if (missing.length > 0) {
      const names = missing.map((key) => `"${key}"`).join(', ');
      return reject(
        record.location,
        `missing input field${missing.length > 1 ? 's' : ''} ${names} (fields: ${Object.keys(row).join(', ') || 'none'})`,
      );
    }
    // An empty CSV cell under a signature's output is a missing label (CSV cannot say so otherwise).
    if (typed && record.text) row = withoutEmptyLabels(typed, row);
    if (check) {
      let found: ReturnType<RowCheck>;
      try {
        found = check(row);
      } catch (error) {
        found = `validateWith threw: ${(error as Error).message}`;
      }
      if (typeof found === 'string' && found !== '') return reject(record.location, found);
      if (typeof found === 'object' && found !== null && found.problem)
        return reject(record.location, found.problem, found.field);
    }
    // CSV cells are text: once a signature accepted the row, its values take the fields' types.
    if (typed && record.text) row = convertRow(typed, row);
    try {
      return new Example(row as T, inputs);
    } catch (error) {
      if (error instanceof ExampleError) return reject(record.location, error.message);
      throw error;
    }
  };
}

function checkInputs<K extends string>(inputs: readonly K[] | undefined): readonly K[] {
  if (!Array.isArray(inputs) || inputs.length === 0 || inputs.some((key) => typeof key !== 'string')) {
    throw new DatasetError('options.inputs must list at least one input field name', {
      hint: "pass e.g. { inputs: ['question'] } — the other fields become labels",
    });
  }
  return inputs;
}

function withoutEmptyLabels(
  spec: NonNullable<ReturnType<typeof signatureOfValidator>>,
  row: Record<string, unknown>,
): Record<string, unknown> {
  if (!spec.outputFields.some((f) => row[f.name] === '')) return row;
  const out: Record<string, unknown> = { ...row };
  for (const field of spec.outputFields) if (out[field.name] === '') delete out[field.name];
  return out;
}
