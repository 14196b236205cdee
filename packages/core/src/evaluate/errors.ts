import { SigilError, type SigilErrorOptions } from '../errors/sigil-error';
import type { EvaluationResult } from './evaluation-result';

/**
 * An evaluation run was stopped: too many failed examples, or a devset/program that cannot be run.
 * Code `EVALUATION_FAILED`.
 * @example catch (e) { if (EvaluationError.isInstance(e)) saveForLater(e.results); }
 */
export class EvaluationError extends SigilError {
  static override readonly code: string = 'EVALUATION_FAILED';
  /** Failed examples when the run stopped. */
  readonly errors: number;
  /** The last example error (also `cause`), when the run stopped because of errors. */
  readonly lastError?: unknown;
  /**
   * The examples evaluated before the run stopped (those already running are finished first), in devset
   * order; empty when the run was not under way or kept no results (`keepResults: false`).
   */
  results: EvaluationResult<any, any>[] = [];

  constructor(message: string, details: SigilErrorOptions & { errors?: number; lastError?: unknown } = {}) {
    super(message, { cause: details.lastError, ...details });
    this.errors = details.errors ?? 0;
    this.lastError = details.lastError;
  }
}

/**
 * A metric returned something that is not a score, threw, or was pointed at a field that is not there.
 * Code `METRIC`.
 */
export class MetricError extends SigilError {
  static override readonly code: string = 'METRIC';
}
