import { SigilError, type SigilErrorOptions } from '../errors/sigil-error';

/** Where a dataset problem is: the file (or `<rows>` for in-memory rows), its line and record number. */
export interface RowLocation {
  /** The file path as given, or `<rows>` when rows were passed in memory. */
  file: string;
  /** 1-based physical line in the file where the record starts (JSONL and CSV; absent for JSON arrays). */
  line?: number;
  /** 1-based record number: the n-th data row (a CSV header is not a record). */
  row?: number;
}

/**
 * A dataset could not be read, or one of its rows is malformed. Names the file, line and the problem.
 * Code `DATASET`.
 */
export class DatasetError extends SigilError {
  static override readonly code: string = 'DATASET';
  readonly file?: string;
  readonly line?: number;
  readonly row?: number;
  /** The field the problem is about, when it is about one (a `validateWith` signature check). */
  readonly field?: string;
  readonly problem: string;

  constructor(
    problem: string,
    details: SigilErrorOptions & { location?: RowLocation & { field?: string }; hint?: string } = {},
  ) {
    const { location, hint } = details;
    super(
      `${location ? `${describeLocation(location)}: ` : ''}${problem}${hint ? ` — ${hint}` : ''}`,
      details,
    );
    this.problem = problem;
    this.file = location?.file;
    this.line = location?.line;
    this.row = location?.row;
    this.field = location?.field;
  }
}

/**
 * An `Example` or `Prediction` was built or used wrongly (a reserved field name, no inputs marked …).
 * Code `EXAMPLE`.
 */
export class ExampleError extends SigilError {
  static override readonly code: string = 'EXAMPLE';
}

/** `data/qa.jsonl:17`, `data/qa.json (row 5)` or `<rows> (row 5)`. */
export function describeLocation({ file, line, row }: RowLocation): string {
  if (line !== undefined) return `${file}:${line}`;
  if (row !== undefined) return `${file} (row ${row})`;
  return file;
}
