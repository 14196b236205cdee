import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { EvaluationError } from './errors';
import type { EvaluationResult } from './evaluation-result';

/** Lines are gathered up to this many characters before one write, to keep syscalls few. */
const FLUSH_AT_CHARS = 256 * 1024;

/**
 * Writes evaluation results as JSONL, one `{ index, example, prediction, score, feedback?, error?, usage,
 * cost }` object per line. Writes are awaited, so a slow disk slows the run instead of filling memory.
 */
export class ResultsWriter {
  private pending = '';

  private constructor(
    private readonly handle: FileHandle,
    readonly path: string,
  ) {}

  /** Creates (or truncates) the file, making its directory if needed. */
  static async open(path: string): Promise<ResultsWriter> {
    try {
      await mkdir(dirname(path), { recursive: true });
      return new ResultsWriter(await open(path, 'w'), path);
    } catch (error) {
      throw new EvaluationError(
        `Cannot open the results file "${path}": ${(error as Error).message} — pass a writable resultsPath.`,
      );
    }
  }

  async write(result: EvaluationResult): Promise<void> {
    this.pending += `${serializeResult(result)}\n`;
    if (this.pending.length >= FLUSH_AT_CHARS) await this.flush();
  }

  async close(): Promise<void> {
    await this.flush();
    await this.handle.close();
  }

  private async flush(): Promise<void> {
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    await this.handle.write(text);
  }
}

/** One JSONL line; a prediction that cannot be serialised is replaced by a note rather than lost. */
export function serializeResult(result: EvaluationResult): string {
  const { index, example, prediction, score, feedback, error } = result;
  const base = {
    score,
    ...(feedback === undefined ? {} : { feedback }),
    ...(error === undefined ? {} : { error: describeError(error) }),
    usage: prediction.usage,
    cost: prediction.cost,
  };
  try {
    return JSON.stringify({ index, example, prediction, ...base });
  } catch (serializationError) {
    return JSON.stringify({
      index,
      ...base,
      serializationError: `example or prediction is not JSON-serialisable: ${(serializationError as Error).message}`,
    });
  }
}

function describeError(error: unknown): { name: string; message: string } {
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: 'Error', message: String(error) };
}
