import {
  type EvaluationBackend,
  type Example,
  type Module,
  predictorsOf,
  withLMMiddleware,
} from '@sigil/core';
import { metricIdentity } from '@sigil/core/internal';
import { TypedEmitter } from '@sigil/core/internal';
import { Budget } from './budget';
import { OptimizerError } from './errors';
import type { OptimizerEvents } from './events';
import { fingerprint, Journal, type RunIdentity } from './journal';
import { attachReport, type Estimate, type OptimizationReport } from './report';
import { OptimizerRun } from './run';

/** Options every optimizer takes: seed, budget, journal and concurrency. */
export interface OptimizerOptions {
  /** Seeds every random choice (default 0): same seed, data and cached LM → same result. */
  seed?: number;
  /** The most LM calls to pay for; the run stops cleanly there with the best program so far. */
  maxCalls?: number;
  /** The most US dollars to spend (checked before each call; calls in flight may overshoot it). */
  maxCost?: number;
  /** A JSONL file recording every finished candidate (and bootstrap run), for `resume`. */
  journal?: string;
  /** Continue the run recorded in `journal` (default false). */
  resume?: boolean;
  /**
   * Replace the journal of an earlier run at `journal` and start over (default false). Without `resume` or
   * `fresh`, an existing journal is refused rather than silently restarted.
   */
  fresh?: boolean;
  /** Examples in flight at once in evaluations and bootstrapping (default 8). */
  concurrency?: number;
  /**
   * What a metric that throws does: `'stop'` (default) ends the run with a `MetricError` naming the example
   * and keeping the metric's stack; `'score-zero'` scores the example 0 and counts it in the report.
   */
  metricErrors?: 'stop' | 'score-zero';
  /**
   * Interrupts the run: no new LM call starts, calls in flight finish, and `compile` returns the best
   * program so far with `report.stoppedBy === 'interrupted'` (what `sigil optimize` does on Ctrl-C).
   */
  signal?: AbortSignal;
  /**
   * Where candidates are evaluated (default: this process) — `@sigil/distributed`'s `DistributedEvaluator`
   * runs them on worker processes while the search stays here. Bootstrapping's teacher runs stay here.
   */
  backend?: EvaluationBackend;
}

/** What a program is compiled against. Examples need their inputs marked (`withInputs`). */
export interface CompileData {
  trainset: readonly Example<any, any>[];
  /** Where candidates are scored; optimizers that need one fall back to the trainset. */
  valset?: readonly Example<any, any>[];
  /** A program with the same predictors that runs the bootstraps (default: a copy of the student). */
  teacher?: Module;
}

/** Options that steer a run but not its result; they are left out of the journal's fingerprint. */
const RUN_CONTROL = new Set([
  'maxCalls',
  'maxCost',
  'journal',
  'resume',
  'fresh',
  'concurrency',
  'signal',
  'backend',
]);

/**
 * The base of every optimizer. `compile` never changes the program it is given: it returns an optimized
 * copy, whose report (`reportOf(optimized)`) lists scores per step, LM calls (paid vs cached), tokens,
 * cost and time. Every LM the program can reach — the configured one, per-predictor LMs, a teacher's —
 * is counted against the budget for the duration of the run.
 *
 * Subclasses implement `optimize` (using the `OptimizerRun` machinery) and `estimate`.
 */
export abstract class Optimizer<
  Options extends OptimizerOptions = OptimizerOptions,
> extends TypedEmitter<OptimizerEvents> {
  /** The optimizer's name in reports and journals. */
  abstract readonly name: string;

  constructor(readonly options: Options) {
    super();
    const { maxCalls, maxCost, concurrency, metricErrors } = options;
    if (metricErrors !== undefined && metricErrors !== 'stop' && metricErrors !== 'score-zero') {
      throw new OptimizerError(
        `metricErrors must be 'stop' or 'score-zero', got ${JSON.stringify(metricErrors)}.`,
      );
    }
    if (maxCalls !== undefined && !(Number.isInteger(maxCalls) && maxCalls >= 0)) {
      throw new OptimizerError(`maxCalls must be a whole number ≥ 0, got ${maxCalls}.`);
    }
    if (maxCost !== undefined && !(maxCost >= 0))
      throw new OptimizerError(`maxCost must be ≥ 0 dollars, got ${maxCost}.`);
    if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1)) {
      throw new OptimizerError(`concurrency must be a whole number ≥ 1, got ${concurrency}.`);
    }
  }

  /**
   * Optimizes a copy of `program` and returns it; the report is available with `reportOf(optimized)` and
   * in the `done` event.
   * @example const optimized = await new BootstrapFewShot({ metric }).compile(program, { trainset });
   */
  async compile<P extends Module>(program: P, data: CompileData): Promise<P> {
    const started = Date.now();
    checkData(this.name, data);
    const seed = this.options.seed ?? 0;
    checkLearnable(this.name, program);
    const budget = new Budget({ maxCalls: this.options.maxCalls, maxCost: this.options.maxCost });
    const student = program.clone();
    const teacher = data.teacher?.clone();
    const journal = this.options.journal
      ? await Journal.open(this.options.journal, {
          resume: this.options.resume ?? false,
          fresh: this.options.fresh ?? false,
          optimizer: this.name,
          identity: this.identity(program, data),
        })
      : Journal.memory();
    const run = new OptimizerRun(
      budget,
      journal,
      seed,
      this.options.concurrency ?? 8,
      this,
      this.options.metricErrors ?? 'stop',
      this.options.backend,
    );
    const estimate = this.estimate(program, data);
    const signal = this.options.signal;
    const stop = () => budget.stop();
    if (signal?.aborted) stop();
    signal?.addEventListener('abort', stop, { once: true });
    // Every LM call of the run — whichever LM a predictor, a teacher or a proposer uses — is counted.
    let best: Module;
    try {
      best = await withLMMiddleware(budget.middleware, () =>
        this.optimize(run, student, { ...data, teacher }),
      );
    } finally {
      signal?.removeEventListener('abort', stop);
    }
    const report: OptimizationReport = {
      optimizer: this.name,
      seed,
      stoppedBy: run.stoppedBy,
      metricErrors: run.metricErrors,
      baselineScore: run.baselineScore,
      bestScore: run.bestScore,
      steps: run.steps,
      candidates: run.candidates.map(({ program: _program, ...record }) => record),
      calls: budget.counts(),
      usage: { ...budget.usage },
      cost: budget.cost,
      durationMs: Date.now() - started,
      estimate,
      journal: this.options.journal,
      trials: run.trials,
    };
    if (run.search) report.search = run.search;
    if (run.selection) report.selection = run.selection;
    if (run.gepa) report.gepa = run.gepa;
    if (run.simba) report.simba = run.simba;
    attachReport(best, report);
    this.emit('done', { report });
    return best as P;
  }

  /**
   * The LM calls this optimizer plans for `program` and `data`, before running (an upper bound: each
   * predictor is assumed to be called once per program call; retries and cache hits are not counted).
   */
  abstract estimate(program: Module, data: CompileData): Estimate;

  /** The optimization itself: returns the program to hand back (a copy the optimizer owns). */
  protected abstract optimize(run: OptimizerRun, student: Module, data: CompileData): Promise<Module>;

  /** This optimizer's own options that steer a run but not its result (left out of the journal's identity). */
  protected runControl(): readonly string[] {
    return [];
  }

  /**
   * What identifies a run for its journal, part by part: the optimizer's settings (seed included), the
   * metric's identity, the program (class, parameter paths, starting state) and the data's content. A
   * resumed run must match every part; a refusal names the ones that differ.
   */
  protected identity(program: Module, data: CompileData): RunIdentity {
    const options = this.options as OptimizerOptions & { metric?: unknown };
    const settings = Object.fromEntries(
      Object.entries(options).filter(
        ([key]) => !RUN_CONTROL.has(key) && !this.runControl().includes(key) && key !== 'metric',
      ),
    );
    const identity: Record<string, string> = {
      settings: fingerprint(settings, describeLM),
      program: `${program.constructor.name}#${fingerprint({
        parameters: program.parameters().map((p) => p.key),
        state: program.dumpState(),
      })}`,
      trainset: fingerprint(data.trainset.map(describeExample)),
      valset: data.valset ? fingerprint(data.valset.map(describeExample)) : 'none',
      teacher: data.teacher ? fingerprint(data.teacher.dumpState()) : 'none',
    };
    if (typeof options.metric === 'function') identity.metric = metricIdentity(options.metric as never);
    return identity;
  }
}

/** An LM inside options is identified by its model (its object holds caches and secrets, not identity). */
function describeLM(_key: string, value: unknown): unknown {
  const lm = value as { call?: unknown; model?: unknown } | null;
  return lm !== null &&
    typeof lm === 'object' &&
    typeof lm.call === 'function' &&
    typeof lm.model === 'string'
    ? `[lm ${lm.model}]`
    : value;
}

/** A program with nothing to learn cannot be optimized: say why instead of returning it unchanged. */
function checkLearnable(optimizer: string, program: Module): void {
  if (program.parameters().some((p) => p.learnable)) return;
  throw new OptimizerError(
    `${optimizer}: ${program.constructor.name} has no learnable parameters — mark the properties that hold its ` +
      'predictors with @Predictor() (sub-programs with @Submodule()), or declare @Param()s.',
  );
}

function describeExample(example: Example<any, any>): unknown {
  return { fields: example.toJSON(), inputs: example.inputKeys };
}

function checkData(optimizer: string, data: CompileData): void {
  if (!data || !Array.isArray(data.trainset)) {
    throw new OptimizerError(`${optimizer}.compile needs { trainset: Example[] } — an array of examples.`);
  }
  const check = (set: readonly Example<any, any>[], name: string) =>
    set.forEach((example, index) => {
      const keys = (example as { inputKeys?: unknown })?.inputKeys;
      if (!Array.isArray(keys) || keys.length === 0) {
        throw new OptimizerError(
          `${optimizer}: ${name}[${index}] has no inputs marked — build examples with Example.from(row).withInputs('question', …).`,
        );
      }
    });
  check(data.trainset, 'trainset');
  if (data.valset) check(data.valset, 'valset');
}

/** The number of predictors (DSPy's trial formula counts them). */
export function predictorCount(program: Module): number {
  return Math.max(1, predictorsOf(program).length);
}

/**
 * LM calls per program call, for estimates: expected (each predictor once, ReAct's step predictor once per
 * tool call of a typical episode) and at most (every re-ask and fallback, ReAct's `maxIters` steps).
 */
export function callsPerProgramCall(program: Module): { expected: number; max: number } {
  const predictors = predictorsOf(program);
  if (predictors.length === 0) return { expected: 1, max: 1 };
  return predictors.reduce(
    (sum, p) => ({ expected: sum.expected + p.demos.calls.expected, max: sum.max + p.demos.calls.max }),
    { expected: 0, max: 0 },
  );
}

/**
 * An estimate from program calls: `expected` and `most` program calls (they differ when a bootstrap is
 * expected to stop early), turned into LM calls, plus LM calls made outside program calls (proposals).
 */
export function estimateFrom(
  program: Module,
  programCalls: { expected: number; most: number },
  steps: Estimate['steps'],
  extraCalls = 0,
): Estimate {
  const per = callsPerProgramCall(program);
  return {
    lmCalls: Math.round(programCalls.expected * per.expected + extraCalls),
    maxLmCalls: Math.round(programCalls.most * per.max + extraCalls * 4),
    programCalls: programCalls.most,
    steps,
  };
}
