/**
 * Where an evaluation's examples run. `Evaluate` runs them in this process unless it is given a backend,
 * which runs batches elsewhere — `@sigil/distributed` sends them to worker processes — and hands back one
 * result per example. Ordering, progress, failure policies and the report stay in `Evaluate`.
 */
import type { Example } from '../data/example';
import type { EvaluationResult } from './evaluation-result';
import type { Metric } from './metric';

/** What a backend is asked to run: the program (its state travels with the batch) and how to score it. */
export interface BackendRun {
  /** The program being evaluated; a remote backend sends its saved state. */
  readonly program: object;
  readonly metric: Metric<any, any>;
  /** The score of an example whose program or metric threw. */
  readonly failureScore: number;
  /** Fires when the evaluation stops early: batches not yet started need not run. */
  readonly signal: AbortSignal;
}

/**
 * Runs batches of examples for `Evaluate` (`new Evaluate({ …, backend })`).
 * @example new Evaluate({ devset, metric, backend: new DistributedEvaluator({ redis, task }) })
 */
export interface EvaluationBackend {
  /** Examples per batch. */
  readonly batchSize: number;
  /** Batches in flight at once (instead of the evaluation's `concurrency`). */
  readonly concurrency: number;
  /**
   * Runs the program on each example of `batch` and scores it, resolving to one result per example in batch
   * order. An example that failed is a result with `error` and `failure`; a rejection stops the evaluation.
   */
  evaluateBatch(
    batch: readonly { index: number; example: Example<any, any> }[],
    run: BackendRun,
  ): Promise<EvaluationResult<any, any>[]>;
}
