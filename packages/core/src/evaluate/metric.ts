import { MetricError } from './errors';

/** What a metric may return: a number (usually 0…1), a pass/fail, or a score with feedback text. */
export type MetricValue = number | boolean | { score: number; feedback?: string };

/**
 * Scores one prediction against its example. `trace` is set while optimizers bootstrap demos (then a
 * metric may be stricter, as in DSPy). The `{ score, feedback }` form feeds reflective optimizers.
 * @example const metric: Metric = (example, prediction) => example.answer === prediction.answer;
 */
export type Metric<E = any, P = any> = (
  example: E,
  prediction: P,
  trace?: unknown,
) => MetricValue | Promise<MetricValue>;

/** Normalises a metric's result to a number: true → 1, false → 0, `{ score }` → score. */
export function scoreOf(result: MetricValue): number {
  if (typeof result === 'boolean') return result ? 1 : 0;
  if (typeof result === 'number') {
    if (Number.isNaN(result))
      throw new MetricError('The metric returned NaN — return a number, a boolean or { score }.');
    return result;
  }
  if (result !== null && typeof result === 'object' && typeof result.score === 'number') {
    return scoreOf(result.score);
  }
  throw new MetricError(
    `The metric returned ${result === null ? 'null' : typeof result}, not a score — return a number, a boolean or { score, feedback }.`,
  );
}

/** The feedback text of a `{ score, feedback }` result, if any. */
export function feedbackOf(result: MetricValue): string | undefined {
  return result !== null && typeof result === 'object' ? result.feedback : undefined;
}
