/** What the HTML report of an optimization run is built from. */
import type { OptimizationReport } from '@sigil/optimize';

/** One scored trial (MIPRO) or candidate (random search), a point of the chart. */
export interface ReportPoint {
  kind: 'trial' | 'candidate';
  /** The trial number or the candidate's position in the plan. */
  index: number;
  total: number;
  label: string;
  /** Percent. */
  score: number;
  /** `minibatch` scores come from part of the valset. */
  fidelity: 'minibatch' | 'full';
  /** LM calls this trial or candidate cost. */
  calls: number;
  /** LM calls of the whole run when it was scored (the chart's x axis). */
  cumulativeCalls: number;
  /** Read back from the journal of an earlier run. */
  resumed: boolean;
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
