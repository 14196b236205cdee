import {
  context,
  Evaluate,
  type EvaluationBackend,
  EvaluationError,
  type EvaluationReport,
  type Example,
  type Metric,
  type Module,
  type Settings,
  type StatePatch,
} from '@sigil/core';
import { type Budget, Meter, metered } from './budget';
import { candidateState, withState } from './candidate';
import { BudgetExceededError } from './errors';
import type { OptimizerEvents, TypedEmitter } from './events';
import type { Journal } from './journal';
import type { GEPAReport } from '../gepa/report';
import type { SIMBAReport } from '../simba/report';
import type { CandidateRecord, SearchSummary, SelectionEstimate, StepRecord, TrialRecord } from './report';

/** A candidate to score: its stable key (the journal key), a label for people, and its plan position. */
export interface CandidateSpec {
  key: string;
  label: string;
  index: number;
  total: number;
}

/** A scored candidate; `program` is absent when the score was read back from the journal. */
export interface ScoredCandidate extends CandidateRecord {
  program?: Module;
}

interface JournaledCandidate {
  label: string;
  score: number;
  calls: number;
  state: StatePatch;
  /** Per valset example (for the selection estimate); absent in journals of older versions. */
  scores?: number[];
}

/**
 * The machinery of one `compile` call, shared by every optimizer: the budget, the journal, the seed,
 * progress events, steps and candidates for the report, and evaluation through `Evaluate`.
 * Optimizers receive it in `optimize()`; it is not constructed by users.
 */
export class OptimizerRun {
  readonly steps: StepRecord[] = [];
  readonly candidates: ScoredCandidate[] = [];
  stoppedBy: 'completed' | 'budget' | 'interrupted' = 'completed';
  /** Examples whose metric threw, scored 0 because the run was told to (`metricErrors: 'score-zero'`). */
  metricErrors = 0;
  baselineScore?: number;
  bestScore?: number;
  /** Set by search optimizers: the space they explored, for the report. */
  search?: SearchSummary;
  /** Every trial and re-evaluation, in the order they finished (see `trial`). */
  readonly trials: TrialRecord[] = [];
  /** Per candidate key, its score on each valset example (what `selection` is estimated from). */
  readonly candidateScores = new Map<string, number[]>();
  /** Set by search optimizers: how much the chosen score owes to selection. */
  selection?: SelectionEstimate;
  /** Set by GEPA and SIMBA: their own report sections. */
  gepa?: GEPAReport;
  simba?: SIMBAReport;

  constructor(
    readonly budget: Budget,
    readonly journal: Journal,
    readonly seed: number,
    readonly concurrency: number,
    private readonly events: TypedEmitter<OptimizerEvents>,
    /** What a metric that throws does: stop the run (default), or score the example 0 and count it. */
    readonly metricErrorPolicy: 'stop' | 'score-zero' = 'stop',
    /** Where evaluations run (default: this process); a distributed backend's workers report their calls here. */
    readonly backend?: EvaluationBackend,
  ) {}

  /** True when no further work may start: the budget is spent or the run was interrupted. */
  get outOfBudget(): boolean {
    if (this.budget.exhausted || this.budget.spent) this.markStopped();
    return this.stoppedBy !== 'completed';
  }

  /** True once the budget refused a call: whatever ran at that moment is incomplete. */
  get interrupted(): boolean {
    if (this.budget.exhausted) this.markStopped();
    return this.budget.exhausted;
  }

  private markStopped(): void {
    this.stoppedBy = this.budget.stopped ? 'interrupted' : 'budget';
  }

  /** Records a trial for the report and emits it as a `trial` event. */
  trial(record: TrialRecord): void {
    this.trials.push(record);
    this.emit('trial', record);
  }

  /** Emits a progress event. */
  emit<K extends keyof OptimizerEvents>(event: K, payload: OptimizerEvents[K]): void {
    this.events.emit(event, payload);
  }

  /** Runs `fn` as a named step of the report (calls and time measured, `step` events emitted). */
  async step<T>(
    name: string,
    fn: (meter: Meter) => Promise<T>,
    scoreOf?: (value: T) => number | undefined,
  ): Promise<T> {
    const meter = new Meter();
    const started = Date.now();
    this.emit('step', { name, status: 'start' });
    const value = await metered(meter, () => fn(meter));
    const score = scoreOf?.(value);
    const record: StepRecord = { name, calls: meter.counts(), durationMs: Date.now() - started };
    if (score !== undefined) record.score = score;
    this.steps.push(record);
    this.emit('step', { name, status: 'end', score, calls: record.calls });
    return value;
  }

  /**
   * Scores `program` on `devset` (percent) through `Evaluate`, concurrently; undefined when the budget ran
   * out during the evaluation (a partial score would be wrong). A failed LM call is never scored: it ends
   * the run with the LM's own error (the journal keeps what finished; resume continues). A metric that
   * throws ends it too, naming the example, unless the run counts such examples as 0.
   */
  async evaluate(
    program: Module,
    devset: readonly Example[],
    metric: Metric,
    options: { baseline?: boolean } = {},
  ): Promise<number | undefined> {
    return (await this.evaluateScores(program, devset, metric, options))?.score;
  }

  /** As `evaluate`, with each example's score too (raw metric values, in devset order). */
  async evaluateScores(
    program: Module,
    devset: readonly Example[],
    metric: Metric,
    options: { baseline?: boolean } = {},
  ): Promise<{ score: number; scores: number[] } | undefined> {
    if (this.outOfBudget) return undefined;
    let report;
    try {
      report = await new Evaluate({
        devset,
        metric,
        concurrency: this.concurrency,
        progress: false,
        lmErrors: 'stop',
        metricErrors: this.metricErrorPolicy === 'stop' ? 'stop' : 'fail-example',
        backend: this.backend,
      }).run(program);
    } catch (error) {
      if (this.interrupted) return undefined;
      throw error;
    }
    if (this.interrupted) return undefined;
    if (options.baseline && report.total > 0 && report.errors === report.total) throw allFailed(report);
    this.metricErrors += report.failures.metric;
    return { score: report.score, scores: report.results.map((r) => r.score) };
  }

  /**
   * Runs `fn` with the settings a teacher runs under (`teacherSettings`); its calls are counted against
   * the budget like any other (the budget's middleware stays in force).
   */
  withTeacherSettings<T>(teacherSettings: Partial<Settings> | undefined, fn: () => Promise<T>): Promise<T> {
    if (!teacherSettings) return fn();
    const { lmMiddleware: _kept, ...overrides } = teacherSettings;
    return context(overrides, fn);
  }

  /**
   * Work recorded in the journal under `kind`/`key`: read back when an earlier run finished it, otherwise
   * computed and recorded. `compute` returns undefined for work the budget cut short (not recorded).
   */
  async memo<T>(kind: string, key: string, compute: () => Promise<T | undefined>): Promise<T | undefined> {
    if (this.journal.has(kind, key)) return this.journal.get<T>(kind, key);
    const value = await compute();
    if (value !== undefined && !this.budget.exhausted) await this.journal.record(kind, key, value);
    return value;
  }

  /**
   * Builds and scores one candidate, or reads its score back from the journal (then `build` is not
   * called and no LM call is made). Returns undefined when the budget stopped it.
   */
  async scoreCandidate(
    spec: CandidateSpec,
    build: () => Promise<Module>,
    devset: readonly Example[],
    metric: Metric,
    options: { baseline?: boolean } = {},
  ): Promise<ScoredCandidate | undefined> {
    const journaled = this.journal.get<JournaledCandidate>('candidate', spec.key);
    let scored: ScoredCandidate;
    if (journaled) {
      const { scores, ...rest } = journaled;
      if (scores) this.candidateScores.set(spec.key, scores);
      scored = { key: spec.key, ...rest, resumed: true };
    } else {
      if (this.outOfBudget) return undefined;
      const meter = new Meter();
      const outcome = await metered(meter, async () => {
        const program = await build();
        if (this.interrupted) return undefined;
        const measured = await this.evaluateScores(program, devset, metric, options);
        return measured === undefined ? undefined : { program, ...measured };
      });
      if (!outcome) return undefined;
      const record: JournaledCandidate = {
        label: spec.label,
        score: outcome.score,
        calls: meter.calls,
        state: candidateState(outcome.program),
        scores: outcome.scores,
      };
      await this.journal.record('candidate', spec.key, record);
      const { scores, ...rest } = record;
      if (scores) this.candidateScores.set(spec.key, scores);
      scored = { key: spec.key, ...rest, resumed: false, program: outcome.program };
    }
    this.candidates.push(scored);
    const best = Math.max(...this.candidates.map((c) => c.score));
    this.emit('candidate', {
      index: spec.index,
      total: spec.total,
      key: spec.key,
      label: scored.label,
      score: scored.score,
      best,
      calls: scored.calls,
      resumed: scored.resumed,
    });
    return scored;
  }

  /** The program of a scored candidate: its own, or `base` with its journaled state applied. */
  programOf(candidate: ScoredCandidate, base: Module): Module {
    return candidate.program ?? withState(base, candidate.state);
  }

  /** The error for a run that could not measure even its baseline within the budget. */
  baselineError(what: string): BudgetExceededError {
    const { maxCalls, maxCost } = this.budget.limits;
    const limits = [
      maxCalls !== undefined && `maxCalls ${maxCalls}`,
      maxCost !== undefined && `maxCost $${maxCost}`,
    ]
      .filter(Boolean)
      .join(', ');
    return new BudgetExceededError(
      `The budget (${limits}) ran out before ${what} could be measured (${this.budget.paid + this.budget.failed} ` +
        `paid calls, $${this.budget.cost.toFixed(4)}) — raise the budget or use a smaller valset.`,
    );
  }
}

/**
 * The error of a baseline on which every example failed: its score (0%) would say nothing, so the run
 * stops, with the first failure as the cause and advice that fits it.
 */
function allFailed(report: EvaluationReport): EvaluationError {
  const first = report.results.find((r) => r.error !== undefined);
  const error = first?.error;
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new EvaluationError(
    `Every one of the ${report.total} baseline examples failed, so there is nothing to optimize from; the first ` +
      `(example ${first?.index ?? 0}): ${what} — the program cannot use the LM's replies: check its prompts and ` +
      'parsing with sigil inspect, and the LM it runs against.',
    { errors: report.errors, lastError: error, code: 'EVALUATION_ALL_FAILED' },
  );
}
