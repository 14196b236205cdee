/**
 * What `reportOf(optimized).gepa` holds: every pool member with its lineage and scores, every proposal
 * with its status and reflection I/O, and the Pareto fronts. Scores here are the metric's raw values
 * (usually 0…1), as the algorithm compares them; `valScore` is the aggregate in percent, as elsewhere.
 */

/** How a pool member came to be. */
export type GEPAOrigin = 'seed' | 'reflection' | 'merge';

/** One member of GEPA's pool (candidate `index`, labelled `gepa #index` in `report.candidates`). */
export interface GEPACandidateRecord {
  index: number;
  /** One parent for a reflective child, two for a merge, none for the seed. */
  parents: number[];
  /** The iteration that made it (−1: the seed). */
  iteration: number;
  origin: GEPAOrigin;
  /** The component(s) a reflection rewrote. */
  components?: string[];
  /** For a merge: the common ancestor of its parents. */
  ancestor?: number;
  /** The examples of its acceptance test and the parent's and its own sums there (raw scores). */
  minibatch?: { split: 'train' | 'val'; ids: number[]; before: number; after: number };
  /** Val aggregate in percent. */
  valScore: number;
  /** Per val id, its raw score. */
  valScores: Record<string, number>;
  /** Metric calls charged before its valset evaluation. */
  discoveredAt: number;
  /** True when it is on at least one Pareto front. */
  onFront: boolean;
  /** How many fronts (val ids) it is on. */
  fronts: number;
  /** Its texts, per component. */
  texts: Record<string, string>;
}

/** What happened to a proposal. */
export type ProposalStatus = 'accepted' | 'rejected' | 'skipped-perfect' | 'failed';

/** One proposal of GEPA: a reflective mutation or a merge. */
export interface GEPAProposalRecord {
  iteration: number;
  kind: 'reflection' | 'merge';
  parents: number[];
  /** The components rewritten (reflection) — empty for a skipped or failed one that got no text. */
  components: string[];
  status: ProposalStatus;
  /** Why, in words (rejected: "new subsample score 1 is not better than old score 2"). */
  reason: string;
  /** The minibatch (train ids) or merge subsample (val ids) and both sums, raw. */
  split?: 'train' | 'val';
  ids?: number[];
  before?: number;
  after?: number;
  /** Per component: the reflection prompt, the raw reply and the text extracted from it. */
  reflections: { component: string; prompt: string; reply: string; proposed: string }[];
  /** The pool index it became, when accepted. */
  candidate?: number;
  /** The run's metric calls once this proposal was done (its valset evaluation included). */
  metricCalls?: number;
}

/** The report section of a GEPA run. */
export interface GEPAReport {
  candidates: GEPACandidateRecord[];
  proposals: GEPAProposalRecord[];
  /** Per val id: the best raw score reached and the candidates that reach it. */
  fronts: Record<string, { best: number; candidates: number[] }>;
  /** The pool index returned. */
  bestIndex: number;
  metricCalls: number;
  /** The metric-call budget the run had. */
  maxMetricCalls: number;
  fullValEvals: number;
  mergesTested: number;
  /** Merges earned by accepted children but not tested when the run ended. */
  mergesDue: number;
  iterations: number;
}

/** The `proposal` event: a proposal judged. */
export interface ProposalEvent {
  readonly iteration: number;
  readonly parents: readonly number[];
  /** The component rewritten, or `'merge'`. */
  readonly component: string;
  /** Per component, the text before and after (the parent's text and the proposal's). */
  readonly before: Readonly<Record<string, string>>;
  readonly after: Readonly<Record<string, string>>;
  readonly accepted: boolean;
  readonly status: ProposalStatus;
  /** Minibatch sums, raw (parent's / child's). */
  readonly scoreBefore?: number;
  readonly scoreAfter?: number;
  /** The parents' val aggregates, percent. */
  readonly parentScores: readonly number[];
  /** When accepted: the new candidate's index, val aggregate (percent) and val ids scored. */
  readonly candidate?: number;
  readonly valScore?: number;
  readonly coverage?: number;
  /** Mean over val ids of the best score reached there, percent. */
  readonly frontScore: number;
  /** The best candidate so far by val aggregate, and its aggregate (percent). */
  readonly bestIndex: number;
  readonly bestScore: number;
  /** Why it was rejected, skipped or failed. */
  readonly reason: string;
  /** The run's metric calls after this proposal, and its metric-call budget. */
  readonly metricCalls: number;
  readonly maxMetricCalls: number;
}
