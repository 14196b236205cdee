import type { Example, Metric, Module } from '@sigil/core';
import type { OptimizerRun } from '../optimizer/run';

/**
 * Scores the program as given (the baseline) and the optimized one on `valset`, for the report, around
 * `build`; without a valset or metric it only builds. A budget too small for the baseline is an error;
 * one that runs out later leaves the final score unmeasured.
 */
export async function measureAround(
  run: OptimizerRun,
  student: Module,
  valset: readonly Example<any, any>[] | undefined,
  metric: Metric | undefined,
  build: () => Promise<Module>,
): Promise<Module> {
  const measure = valset && valset.length > 0 && metric ? { valset, metric } : undefined;
  if (measure) {
    // Journaled, so a resumed (or interrupted and resumed) run does not pay for its baseline again.
    const baseline = await run.step(
      'baseline',
      () =>
        run.memo('baseline', 'valset', () =>
          run.evaluate(student, measure.valset, measure.metric, { baseline: true }),
        ),
      (s) => s,
    );
    if (baseline === undefined) throw run.baselineError('the baseline');
    run.baselineScore = baseline;
  }
  const program = await build();
  if (measure && !run.outOfBudget) {
    run.bestScore = await run.step(
      'final',
      () => run.evaluate(program, measure.valset, measure.metric),
      (s) => s,
    );
  }
  return program;
}
