import { createHash } from 'node:crypto';
import type { TraceEntry } from '../data/prediction';
import { MetricError } from './errors';

/** A score with the text that explains it, for reflective optimizers (GEPA reads `feedback`). */
export interface ScoreWithFeedback {
  score: number;
  /** What was right or wrong, in words a model can act on ("expected `billing`, got `account`"). */
  feedback?: string;
  /** Named sub-scores, for GEPA's objective frontiers; the scalar `score` still decides. */
  objectives?: Record<string, number>;
}

/** What a metric may return: a number (usually 0…1), a pass/fail, or a score with feedback text. */
export type MetricValue = number | boolean | ScoreWithFeedback;

/**
 * The one predictor a metric is asked about (GEPA's per-predictor feedback call): its path and the call(s)
 * of it being judged. A metric may tailor its feedback to that step; metrics that ignore it still work.
 */
export interface MetricTarget {
  /** The predictor's path in the program (`respond`, `agent.react`). */
  readonly predictor: string;
  /** Its call(s) in this run: inputs and outputs (`predictor` holds the path). */
  readonly calls: readonly TraceEntry[];
}

/**
 * Scores one prediction against its example. `trace` is set while optimizers bootstrap demos (then a
 * metric may be stricter, as in DSPy). The `{ score, feedback }` form feeds reflective optimizers, and
 * `target` is set only when GEPA asks for feedback on one predictor.
 * @example const metric: Metric = (example, prediction) => example.answer === prediction.answer;
 */
export type Metric<E = any, P = any> = (
  example: E,
  prediction: P,
  trace?: unknown,
  target?: MetricTarget,
) => MetricValue | Promise<MetricValue>;

/** Normalises a metric's result to a number: true → 1, false → 0, `{ score }` → score. */
export function scoreOf(result: MetricValue): number {
  if (typeof result === 'boolean') return result ? 1 : 0;
  if (typeof result === 'number') {
    if (Number.isNaN(result))
      throw new MetricError('The metric returned NaN — return a number, a boolean or { score }.');
    // Scores are fractions (reported as percentages): a 5 would read as 500%.
    if (result < 0 || result > 1) {
      throw new MetricError(
        `The metric returned ${result}, outside 0…1 — return a fraction (0.8), a boolean, or { score } in that range.`,
      );
    }
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

/** The named sub-scores of a `{ score, objectives }` result, if any. */
export function objectivesOf(result: MetricValue): Record<string, number> | undefined {
  return result !== null && typeof result === 'object' ? result.objectives : undefined;
}

const IDENTITY = Symbol.for('sigil.metric.identity');

/** What a metric is, for journals: its name and the options it was built with. */
export interface MetricIdentity {
  readonly name: string;
  readonly options?: unknown;
}

/**
 * Names a metric (and the options it was built with), so an optimizer's journal can tell it from any other:
 * a resumed run refuses a journal written with a different metric. The built-in metrics are named this way;
 * name your own when you build several from one factory.
 * @example const metric = defineMetric('withinTolerance', (e, p) => Math.abs(e.value - p.value) < tol, { tol });
 */
export function defineMetric<M extends Metric<any, any>>(name: string, metric: M, options?: unknown): M {
  Object.defineProperty(metric, IDENTITY, { value: Object.freeze({ name, options }), enumerable: false });
  return metric;
}

/**
 * A stable text that identifies a metric: `name(options)` for a named metric, otherwise the function's
 * name and a hash of its source text — two different anonymous metrics never share one.
 */
export function metricIdentity(metric: Metric<any, any>): string {
  const named = (metric as { [IDENTITY]?: MetricIdentity })[IDENTITY];
  if (named) return `${named.name}(${named.options === undefined ? '' : JSON.stringify(named.options)})`;
  const source = createHash('sha256').update(Function.prototype.toString.call(metric)).digest('hex');
  return `${metric.name || 'anonymous'}#${source.slice(0, 16)}`;
}
