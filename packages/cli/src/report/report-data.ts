/** What the HTML report of an optimization run is built from. */
import type { StatePatch } from '@sigil/core';
import type { OptimizationReport } from '@sigil/optimize';

/**
 * One scored configuration, a point of the chart: a search's trial, a re-evaluation of a tried
 * configuration on more examples (MIPRO's promotions, GEPA's valset evaluations), or a candidate program
 * (random search). Each kind is numbered on its own.
 */
export interface ReportPoint {
  kind: 'trial' | 'evaluation' | 'candidate';
  /** The 0-based number within its kind (trial 3 is index 2) or the candidate's position in the plan. */
  index: number;
  /** How many of this kind are planned, when known. */
  total?: number;
  label: string;
  /** Percent. */
  score: number;
  /** `minibatch` scores come from part of the data. */
  fidelity: 'minibatch' | 'full';
  /** Examples the score covers, when known. */
  examples?: number;
  /** LM calls this trial or candidate cost. */
  calls: number;
  /** LM calls of the whole run when it was scored (the chart's x axis). */
  cumulativeCalls: number;
  /** Read back from the journal of an earlier run. */
  resumed: boolean;
  /** The configuration scored: its learnable state (instructions, demos, params) as a patch. */
  state?: StatePatch;
  /** A candidate's key (its state is in `report.candidates`). */
  key?: string;
}

/** A predictor of the optimized program: what it will send. */
export interface ReportPredictor {
  path: string;
  signature: string;
  instructions: string;
  demos: readonly Record<string, unknown>[];
}

/** Everything the HTML report of a `sigil optimize` run shows. */
export interface RunReportData {
  task: string;
  taskFile: string;
  optimizer: string;
  lm: string;
  /** The optimized program's state file. */
  outFile: string;
  generatedAt: Date;
  report: OptimizationReport;
  points: readonly ReportPoint[];
  predictors: readonly ReportPredictor[];
}

/** `trial 3/10`, `full evaluation 2`, `candidate 4/19`: the point's kind and number. */
export function pointName(point: ReportPoint): string {
  const kind =
    point.kind === 'evaluation' ? (point.fidelity === 'full' ? 'full evaluation' : 'promotion') : point.kind;
  return `${kind} ${point.index + 1}${point.total !== undefined ? `/${point.total}` : ''}`;
}
