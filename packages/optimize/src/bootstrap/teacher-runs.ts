import {
  type Example,
  type Metric,
  type Module,
  predictorsOf,
  seededRandom,
  type Settings,
  traced,
} from '@sigil/core';
import { scoreOf } from '@sigil/core/internal';
import { type Demo, predictorPaths } from '../optimizer/candidate';
import { withCallOptions } from '../optimizer/budget';
import { OptimizerError } from '../optimizer/errors';
import type { OptimizerRun } from '../optimizer/run';
import { failureKindOf, MetricError, metricFailure } from '@sigil/core/internal';

/** How teacher runs are judged and repeated. */
export interface TeacherRunOptions {
  metric?: Metric;
  metricThreshold?: number;
  maxRounds: number;
  teacherSettings?: Partial<Settings>;
  maxErrors: number;
}

/** The outcome of running the teacher on one training example (all rounds). */
export interface TeacherRun {
  success: boolean;
  /** Per predictor path, the demo its traced call became (one per predictor, as DSPy). */
  demos: Record<string, Demo[]>;
}

/** Demos gathered from successful teacher runs, in trainset order. */
export interface Bootstrapped {
  /** Per predictor path, augmented demos in the order their examples were visited. */
  traces: Record<string, Demo[]>;
  /** Trainset indices whose run succeeded. */
  succeeded: Set<number>;
  /** True when the budget cut the collection short. */
  interrupted: boolean;
}

/**
 * Runs the teacher on training examples under a trace and keeps the traces the metric accepts. A run on
 * an example is done once per compile (and journaled), whichever candidate asks for it: candidates that
 * visit the same example share it, which saves the LM calls DSPy would pay (or get from its cache).
 */
export class TeacherRuns {
  private readonly pending = new Map<number, Promise<TeacherRun | undefined>>();
  private readonly exampleKeys: string[];
  private errors = 0;

  constructor(
    private readonly run: OptimizerRun,
    private readonly teacher: Module,
    private readonly trainset: readonly Example<any, any>[],
    private readonly options: TeacherRunOptions,
  ) {
    this.exampleKeys = trainset.map((example) => JSON.stringify(example.toJSON()));
  }

  /**
   * Visits trainset indices in `order` (at most `concurrency` at once) until `max` runs succeeded;
   * successes are taken in `order`, so the result does not depend on concurrency.
   */
  async collect(order: readonly number[], max: number): Promise<Bootstrapped> {
    const traces: Record<string, Demo[]> = Object.fromEntries(
      predictorPaths(this.teacher).map((path) => [path, []]),
    );
    const succeeded = new Set<number>();
    let position = 0;
    while (position < order.length && succeeded.size < max) {
      const batch = order.slice(position, position + Math.min(this.run.concurrency, max - succeeded.size));
      position += batch.length;
      const results = await Promise.all(batch.map((index) => this.attempt(index)));
      for (let i = 0; i < batch.length && succeeded.size < max; i++) {
        const result = results[i];
        if (!result) return { traces, succeeded, interrupted: true };
        if (!result.success) continue;
        succeeded.add(batch[i]);
        for (const [path, demos] of Object.entries(result.demos)) (traces[path] ??= []).push(...demos);
      }
    }
    return { traces, succeeded, interrupted: false };
  }

  /** The teacher's run on `trainset[index]`: journaled, shared, undefined when the budget cut it short. */
  attempt(index: number): Promise<TeacherRun | undefined> {
    let pending = this.pending.get(index);
    if (!pending) {
      pending = this.run.memo('bootstrap', String(index), () => this.runRounds(index));
      this.pending.set(index, pending);
    }
    return pending;
  }

  private async runRounds(index: number): Promise<TeacherRun | undefined> {
    for (let round = 0; round < this.options.maxRounds; round++) {
      if (this.run.outOfBudget) return undefined;
      const result = await this.runOnce(index, round);
      if (!result || result.success) return result;
    }
    return { success: false, demos: {} };
  }

  private async runOnce(index: number, round: number): Promise<TeacherRun | undefined> {
    const example = this.trainset[index];
    // A copy per run: the example must not be among its own demos, and runs go on concurrently.
    const teacher = this.teacher.clone();
    const paths = new Map<object, string>();
    for (const predictor of predictorsOf(teacher)) {
      const demos = predictor.demos.get();
      predictor.demos.set(demos.filter((demo) => JSON.stringify(demo) !== this.exampleKeys[index]));
      paths.set(predictor.demos.owner, predictor.path);
    }
    const forward = () => traced(() => teacher.forward(example.inputs().toJSON()));
    try {
      const { result, trace } = await this.run.withTeacherSettings(this.options.teacherSettings, () =>
        // As DSPy: rounds after the first ask for a fresh sample at temperature 1, past any cache.
        round > 0 ? withCallOptions({ rolloutId: round, temperature: 1 }, forward) : forward(),
      );
      if (this.run.interrupted) return undefined;
      if (!(await this.passes(example, result, trace))) return { success: false, demos: {} };
      const byPath: Record<string, Demo[]> = {};
      for (const step of trace) {
        const path = paths.get(step.predictor);
        if (path === undefined) continue;
        (byPath[path] ??= []).push({ augmented: true, ...step.inputs, ...step.outputs });
      }
      for (const [path, demos] of Object.entries(byPath)) byPath[path] = [pickOne(demos)];
      return { success: true, demos: byPath };
    } catch (error) {
      if (this.run.interrupted) return undefined;
      // A failed LM call is the endpoint's failure, not the teacher's: every other run would fail too.
      if (failureKindOf(error) === 'lm') throw error;
      if (MetricError.isInstance(error)) {
        if (this.run.metricErrorPolicy === 'stop') throw error;
        this.run.metricErrors++;
        return { success: false, demos: {} };
      }
      this.errors++;
      if (this.errors >= this.options.maxErrors) {
        throw new OptimizerError(
          `Bootstrapping stopped after ${this.errors} failed teacher runs (maxErrors ${this.options.maxErrors}); ` +
            `the last, on trainset[${index}], threw: ${(error as Error)?.message ?? error} — the program cannot ` +
            'answer these examples (check its prompts and parsing with sigil inspect), or raise maxErrors ' +
            '(sigil optimize --max-errors).',
          { cause: error },
        );
      }
      return { success: false, demos: {} };
    }
  }

  private async passes(example: Example<any, any>, prediction: unknown, trace: unknown): Promise<boolean> {
    const { metric, metricThreshold } = this.options;
    if (!metric) return true;
    let score: number;
    try {
      score = scoreOf(await metric(example, prediction, trace));
    } catch (error) {
      throw metricFailure(this.trainset.indexOf(example), error);
    }
    return metricThreshold !== undefined ? score >= metricThreshold : score > 0;
  }
}

/**
 * DSPy's rule when one predictor was called several times in a run: keep the last call, or (half the
 * time) one of the earlier ones, chosen by a generator seeded with the calls themselves.
 */
function pickOne(demos: Demo[]): Demo {
  if (demos.length === 1) return demos[0];
  const random = seededRandom(JSON.stringify(demos));
  return random() < 0.5 ? demos[Math.floor(random() * (demos.length - 1))] : demos[demos.length - 1];
}
