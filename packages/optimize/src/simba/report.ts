/** What `reportOf(optimized).simba` holds: per step, the buckets worked on and the candidates built. */

/** One bucket (a train example's runs across the sampled programs) and what was done with it. */
export interface SIMBABucketRecord {
  /** The train example. */
  example: number;
  /** Max − min, max and max − mean of its runs' scores (raw). */
  gap: number;
  max: number;
  maxToMean: number;
  /** The strategy applied, or why none was. */
  strategy: 'appendADemo' | 'appendARule';
  applied: boolean;
  /** When not applied: why (a percentile gate, an error). */
  note?: string;
  /** The source program the candidate was copied from. */
  source: number;
  /** The candidate's pool index, when one was built. */
  candidate?: number;
}

/** One step of SIMBA. */
export interface SIMBAStepRecord {
  step: number;
  /** The train ids of its minibatch. */
  batch: number[];
  /** The 10th and 90th percentile of all sampled runs' scores (raw). */
  p10: number;
  p90: number;
  buckets: SIMBABucketRecord[];
  /** Each new candidate's mean score on the batch (raw). */
  candidateScores: number[];
  /** The pool index of the step's winner. */
  winner?: number;
}

/** The report section of a SIMBA run. */
export interface SIMBAReport {
  steps: SIMBAStepRecord[];
  /** Winners evaluated at the end on the full trainset: pool index and score (percent). */
  finalists: { program: number; score: number }[];
  bestProgram: number;
}
