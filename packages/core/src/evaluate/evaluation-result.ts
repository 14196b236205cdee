import type { Example } from '../data/example';
import type { Prediction } from '../data/prediction';
import type { Usage } from '../lm/types';

/** The outcome of one example. */
export interface EvaluationResult<
  E extends Example<any, any> = Example,
  P extends Prediction<any> = Prediction,
> {
  /** The example's position in the devset (0-based). */
  index: number;
  example: E;
  /** What the program returned (an empty Prediction when it threw). */
  prediction: P;
  /** The metric's score, or `failureScore` when the program or the metric threw. */
  score: number;
  /** The metric's feedback, when it returned `{ score, feedback }`. */
  feedback?: string;
  /** Why the example failed, when it did. */
  error?: unknown;
  /** Where it failed: the LM call, the program (an unusable reply …), or the metric. */
  failure?: 'lm' | 'program' | 'metric';
}

/** What `Evaluate.run` returns. */
export interface EvaluationReport<
  E extends Example<any, any> = Example,
  P extends Prediction<any> = Prediction,
> {
  /** Mean score over all examples, in percent, rounded to 2 decimals (as DSPy reports it). */
  score: number;
  /** One result per example, in devset order (empty with `keepResults: false`). */
  results: EvaluationResult<E, P>[];
  /** Examples evaluated. */
  total: number;
  /** Examples whose program or metric threw. */
  errors: number;
  /** Failed examples by where they failed: at the LM, in the program, in the metric. */
  failures: { lm: number; program: number; metric: number };
  /** Tokens of all predictions, summed. */
  usage: Usage;
  /** In US dollars, summed over all predictions. */
  cost: number;
  durationMs: number;
}
