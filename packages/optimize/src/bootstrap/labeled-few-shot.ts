import { type Example, type Metric, type Module, sample } from '@sigil/core';
import { type Demo, setDemos } from '../optimizer/candidate';
import { estimateFrom, Optimizer, type CompileData, type OptimizerOptions } from '../optimizer/optimizer';
import type { Estimate } from '../optimizer/report';
import type { OptimizerRun } from '../optimizer/run';
import { measureAround } from './measure';

/** Options of `LabeledFewShot`. */
export interface LabeledFewShotOptions extends OptimizerOptions {
  /** Demos per predictor (default 16, as DSPy). */
  k?: number;
  /** Draw the k demos at random (seeded); false takes the first k (default true). */
  sample?: boolean;
  /** With a `valset`, the program as given and the result are scored with it for the report. */
  metric?: Metric;
}

/**
 * DSPy's LabeledFewShot: gives every predictor k labelled training examples as demos (all their fields).
 * No LM call is made (unless a `metric` and `valset` ask for scores in the report).
 * @example const optimized = await new LabeledFewShot({ k: 8 }).compile(program, { trainset });
 */
export class LabeledFewShot extends Optimizer<LabeledFewShotOptions> {
  readonly name = 'LabeledFewShot';

  estimate(program: Module, data: CompileData): Estimate {
    const validation = this.options.metric && data.valset ? 2 * data.valset.length : 0;
    const steps = validation ? [{ name: 'baseline and final', programCalls: validation }] : [];
    return estimateFrom(program, { expected: validation, most: validation }, steps);
  }

  protected optimize(run: OptimizerRun, student: Module, data: CompileData): Promise<Module> {
    return measureAround(run, student, data.valset, this.options.metric, async () => {
      const program = student.clone();
      const k = this.options.k ?? 16;
      setDemos(program, (_path, index) =>
        labeledDemos(data.trainset, k, this.options.sample ?? true, `${run.seed}:labeled:${index}`),
      );
      return program;
    });
  }
}

/** k training examples as demos: a seeded sample, or the first k. */
export function labeledDemos(
  trainset: readonly Example<any, any>[],
  k: number,
  random: boolean,
  seed: number | string,
): Demo[] {
  const count = Math.min(k, trainset.length);
  const chosen = random ? sample(trainset, count, seed) : trainset.slice(0, count);
  return chosen.map((example) => example.toJSON() as Demo);
}
