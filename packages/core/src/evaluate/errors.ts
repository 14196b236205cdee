import type { EvaluationResult } from './evaluation-result';

/**
 * An evaluation run was stopped: too many failed examples, or a devset/program that cannot be run.
 * @example catch (e) { if (e instanceof EvaluationError) saveForLater(e.results); }
 */
export class EvaluationError extends Error {
  override readonly name = 'EvaluationError';
  /** Failed examples when the run stopped. */
  readonly errors: number;
  /** The last example error (also `cause`), when the run stopped because of errors. */
  readonly lastError?: unknown;
  /**
   * The examples evaluated before the run stopped (those already running are finished first), in devset
   * order; empty when the run was not under way or kept no results (`keepResults: false`).
   */
  results: EvaluationResult<any, any>[] = [];

  constructor(message: string, details: { errors?: number; lastError?: unknown } = {}) {
    super(message, details.lastError === undefined ? undefined : { cause: details.lastError });
    this.errors = details.errors ?? 0;
    this.lastError = details.lastError;
  }
}

/** A metric returned something that is not a score, or was pointed at a field that is not there. */
export class MetricError extends Error {
  override readonly name = 'MetricError';
}
