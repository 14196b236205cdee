import type { StatePatch, Usage } from '@sigil/core';
import type { CallCounts } from '@sigil/core/internal';

export type { CallCounts };

/** One step of a run: bootstrapping, the baseline, a candidate, the final evaluation… */
export interface StepRecord {
  name: string;
  /** The valset score (percent) this step measured, if any. */
  score?: number;
  calls: CallCounts;
  durationMs: number;
}

/** One evaluated candidate. */
export interface CandidateRecord {
  key: string;
  label: string;
  /** Valset score in percent. */
  score: number;
  /** LM calls it cost when it was built and evaluated (in the run that evaluated it). */
  calls: number;
  /** True when it was read back from the journal instead of evaluated in this run. */
  resumed: boolean;
  /** The candidate's learnable state, as a patch in the saved-program format. */
  state: StatePatch;
}

/** Planned LM calls, stated before a run by `optimizer.estimate()`. */
export interface Estimate {
  /**
   * The LM calls a run is expected to pay (each predictor once per program call, ReAct's steps per a
   * typical episode, bootstraps stopping once they have their demos), before cache hits.
   */
  lmCalls: number;
  /** The most LM calls it can make: every re-ask and fallback, every bootstrap example, ReAct's maxIters. */
  maxLmCalls: number;
  /** Upper bound on program calls (one per example run through the program or its teacher). */
  programCalls: number;
  steps: { name: string; programCalls: number }[];
}

/** What a run did: scores, LM calls, tokens, cost and time. Get it with `reportOf(optimized)`. */
export interface OptimizationReport {
  optimizer: string;
  seed: number;
  /** `'budget'` when `maxCalls`/`maxCost` cut the run short (the best program so far was returned). */
  stoppedBy: 'completed' | 'budget' | 'interrupted';
  /** Examples whose metric threw and were scored 0 (only with `metricErrors: 'score-zero'`). */
  metricErrors: number;
  /** Valset score (percent) of the program as given, when measured. */
  baselineScore?: number;
  /** Valset score (percent) of the returned program, when measured. */
  bestScore?: number;
  steps: StepRecord[];
  /** Every evaluated candidate, in plan order (search optimizers). */
  candidates: CandidateRecord[];
  /** LM calls of this run (resumed candidates cost nothing here). */
  calls: CallCounts;
  usage: Usage;
  /** US dollars spent in this run. */
  cost: number;
  durationMs: number;
  estimate: Estimate;
  /** The journal file, when one was kept. */
  journal?: string;
  /** The space a search optimizer explored (MIPRO): its dimensions and the candidates per predictor. */
  search?: SearchSummary;
}

/** What a search optimizer chose among: dimension sizes, instruction candidates and demo-set sizes. */
export interface SearchSummary {
  dimensions: { name: string; size: number }[];
  /** Distinct configurations (what an exhaustive search would have evaluated). */
  configurations: number;
  instructions: Record<string, string[]>;
  demoSetSizes?: Record<string, number[]>;
  trials: number;
  fullEvaluations: number;
  /** Proposer replies that could not be parsed: skipped, counted here (MIPRO). */
  unparsableProposals?: number;
}

const reports = new WeakMap<object, OptimizationReport>();

/**
 * The report of the run that produced `program` (undefined for programs no optimizer returned).
 * @example const optimized = await optimizer.compile(program, { trainset }); reportOf(optimized)?.bestScore;
 */
export function reportOf(program: object): OptimizationReport | undefined {
  return reports.get(program);
}

export function attachReport(program: object, report: OptimizationReport): void {
  reports.set(program, report);
}
