import {
  type Example,
  type Metric,
  type Module,
  predictorsOf,
  sample,
  type Settings,
  shuffle,
} from '@sigil/core';
import { type Demo, predictorPaths, setDemos } from '../optimizer/candidate';
import { OptimizerError } from '../optimizer/errors';
import { estimateFrom, Optimizer, type CompileData, type OptimizerOptions } from '../optimizer/optimizer';
import type { Estimate } from '../optimizer/report';
import type { OptimizerRun } from '../optimizer/run';
import { labeledDemos } from './labeled-few-shot';
import { measureAround } from './measure';
import { type Bootstrapped, TeacherRuns } from './teacher-runs';

/** Options of `BootstrapFewShot` (and of the bootstraps inside `BootstrapRandomSearch`). */
export interface BootstrapFewShotOptions extends OptimizerOptions {
  /** Judges teacher runs (with the trace as third argument); without one every run that completes passes. */
  metric?: Metric;
  /** A run passes when the metric's score is ≥ this; by default when it is true or > 0. */
  metricThreshold?: number;
  /** Augmented (bootstrapped) demos per predictor (default 4). */
  maxBootstrappedDemos?: number;
  /** Demos per predictor in all, topped up with labelled examples; also the teacher's labelled demos (default 16). */
  maxLabeledDemos?: number;
  /** Attempts per example; rounds after the first use a fresh `rolloutId` at temperature 1 (default 1). */
  maxRounds?: number;
  /** Settings the teacher runs under, e.g. `{ lm: strongerLM }`. */
  teacherSettings?: Partial<Settings>;
  /** Teacher runs that may throw before bootstrapping gives up (default 10). */
  maxErrors?: number;
}

/**
 * DSPy's BootstrapFewShot: runs the teacher (default: a copy of the program with labelled demos) over the
 * trainset under a trace, keeps the runs the metric accepts, and turns each predictor's traced call into
 * one of its demos (`augmented: true` with all its inputs and outputs) — for every predictor of a
 * multi-predictor program. Demos are topped up with labelled examples up to `maxLabeledDemos`.
 * With a `valset` and `metric`, the report carries the scores before and after.
 * @example const optimized = await new BootstrapFewShot({ metric: exactMatch('answer') }).compile(program, { trainset });
 */
export class BootstrapFewShot extends Optimizer<BootstrapFewShotOptions> {
  readonly name = 'BootstrapFewShot';

  estimate(program: Module, data: CompileData): Estimate {
    const bootstrap = data.trainset.length * (this.options.maxRounds ?? 1);
    // Bootstrapping stops once it has its demos: expect about two teacher runs per demo (half pass).
    const expectedBootstrap = Math.min(data.trainset.length, 2 * (this.options.maxBootstrappedDemos ?? 4));
    const validation = this.options.metric && data.valset ? 2 * data.valset.length : 0;
    const steps = [{ name: 'bootstrap', programCalls: bootstrap }];
    if (validation) steps.unshift({ name: 'baseline and final', programCalls: validation });
    return estimateFrom(
      program,
      { expected: expectedBootstrap + validation, most: bootstrap + validation },
      steps,
    );
  }

  protected optimize(run: OptimizerRun, student: Module, data: CompileData): Promise<Module> {
    const options = this.options;
    return measureAround(run, student, data.valset, options.metric, async () => {
      const teacher = prepareTeacher(run, student, data, options.maxLabeledDemos ?? 16);
      const runs = new TeacherRuns(run, teacher, data.trainset, teacherRunOptions(options));
      const order = data.trainset.map((_, index) => index);
      const found = await run.step('bootstrap', () => runs.collect(order, options.maxBootstrappedDemos ?? 4));
      return assembleDemos(student, found, data.trainset, order, options, run.seed);
    });
  }
}

/** The defaults of a teacher run, from bootstrap options. */
export function teacherRunOptions(options: BootstrapFewShotOptions) {
  return {
    metric: options.metric,
    metricThreshold: options.metricThreshold,
    maxRounds: options.maxRounds ?? 1,
    teacherSettings: options.teacherSettings,
    maxErrors: options.maxErrors ?? 10,
  };
}

/**
 * The teacher: `data.teacher` (already the optimizer's copy) or a copy of the student. A teacher without
 * demos gets `maxLabeledDemos` labelled ones (DSPy compiles an uncompiled teacher with LabeledFewShot).
 */
export function prepareTeacher(
  run: OptimizerRun,
  student: Module,
  data: CompileData,
  maxLabeledDemos: number,
): Module {
  const teacher = data.teacher ?? student.clone();
  const studentPaths = predictorPaths(student);
  const teacherPaths = predictorPaths(teacher);
  if (studentPaths.join('\u0000') !== teacherPaths.join('\u0000')) {
    throw new OptimizerError(
      `The teacher (${teacher.constructor.name}) must have the same predictors as the student ` +
        `(${student.constructor.name}): student has ${studentPaths.join(', ')}; teacher has ${teacherPaths.join(', ')}.`,
    );
  }
  const predictors = predictorsOf(teacher);
  if (maxLabeledDemos > 0 && predictors.every((predictor) => predictor.demos.get().length === 0)) {
    setDemos(teacher, (_path, index) =>
      labeledDemos(data.trainset, maxLabeledDemos, true, `${run.seed}:teacher:${index}`),
    );
  }
  return teacher;
}

/**
 * A copy of `student` with each predictor's demos: its bootstrapped demos (up to `maxBootstrappedDemos`),
 * then labelled examples that were not bootstrapped, up to `maxLabeledDemos` in all (DSPy's `_train`).
 */
export function assembleDemos(
  student: Module,
  found: Bootstrapped,
  trainset: readonly Example<any, any>[],
  order: readonly number[],
  options: BootstrapFewShotOptions,
  seed: number | string,
): Module {
  const program = student.clone();
  const maxBootstrapped = options.maxBootstrappedDemos ?? 4;
  const maxLabeled = options.maxLabeledDemos ?? 16;
  let raw = shuffle(
    order.filter((index) => !found.succeeded.has(index)),
    `${seed}:raw`,
  );
  setDemos(program, (path, index) => {
    const augmented = (found.traces[path] ?? []).slice(0, maxBootstrapped);
    const size = Math.max(0, Math.min(maxLabeled - augmented.length, raw.length));
    // As DSPy, each predictor samples from what the previous one drew.
    raw = sample(raw, size, `${seed}:raw:${index}`);
    return [...augmented, ...raw.map((i) => trainset[i].toJSON() as Demo)];
  });
  return program;
}
