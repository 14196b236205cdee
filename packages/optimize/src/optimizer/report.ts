import type { StatePatch, Usage } from '@sigil/core';
import type { CallCounts } from '@sigil/core/internal';
import type { GEPAReport } from '../gepa/report';
import type { SIMBAReport } from '../simba/report';

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

/** One scored configuration of a search, as `TrialEvent` reports it and `report.trials` keeps it. */
export interface TrialRecord {
  /** `'trial'`: an evaluation the search asked for; `'evaluation'`: a tried configuration scored on more examples. */
  kind: 'trial' | 'evaluation';
  /** 1-based number within its kind (trial 3 of `total`; evaluation 2). */
  number: number;
  /** How many of this kind are planned, when the optimizer knows (MIPRO: its trials). */
  total?: number;
  /** What was scored, for people (`trial 3`, `gepa #2 on the valset`). */
  label: string;
  /** `'minibatch'`: part of the valset (or of the trainset, for GEPA and SIMBA); `'full'`: the whole valset. */
  fidelity: 'minibatch' | 'full';
  /** Percent. */
  score: number;
  /** Examples the score covers. */
  examples: number;
  /** LM calls it cost in this run (0 when read back from the journal). */
  calls: number;
  resumed: boolean;
  /** The configuration: its learnable state as a patch (instructions, demos, params). */
  state: StatePatch;
}

/**
 * How far the chosen candidate's valset score may be trusted. Picking the best of many candidates on one
 * valset favours the luckiest (the winner's curse): `optimism` estimates that bias — winners of random
 * halves of the valset scored on the other half, scaled to the whole — and `heldOutEstimate` is the score
 * minus it, the better guess of what the program scores on new data.
 */
export interface SelectionEstimate {
  /** The chosen candidate's valset score (percent), as measured. */
  score: number;
  /** Estimated selection bias, in points (≥ 0 means the measured score is likely too high). */
  optimism: number;
  /** `score − optimism`, percent. */
  heldOutEstimate: number;
  /** A 90% bootstrap interval of the chosen candidate's valset score (percent). */
  interval: [number, number];
  /** Candidates the choice was made among, and the examples each was scored on. */
  candidates: number;
  examples: number;
  method: 'split-half';
  resamples: number;
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
  /** GEPA: the metric-call budget (its own unit: one program run scored by the metric). */
  metricCalls?: number;
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
  /** Every trial and re-evaluation of a search optimizer (MIPRO, GEPA, SIMBA), in the order they finished. */
  trials: TrialRecord[];
  /** How honest the returned program's score is: the selection bias estimated among the candidates compared. */
  selection?: SelectionEstimate;
  /** GEPA's lineage, proposals and Pareto fronts. */
  gepa?: GEPAReport;
  /** SIMBA's steps: buckets, strategies and candidates. */
  simba?: SIMBAReport;
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
