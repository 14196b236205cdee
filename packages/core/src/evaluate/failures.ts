import { LMError } from '../lm/errors';
import { ConfigurationError } from '../module/errors';
import type { EvaluationResult } from './evaluation-result';
import { MetricError } from './errors';

/** Why an example failed: its LM call, the program itself (a reply it could not parse …), or the metric. */
export type FailureKind = 'lm' | 'program' | 'metric';

/** Counts of failed examples by kind. */
export interface FailureCounts {
  lm: number;
  program: number;
  metric: number;
}

/**
 * LM failures that no other example can escape: the endpoint is unreachable or refuses this client.
 * One of them ends a fail-fast evaluation at once, with the LM's own error.
 */
const ENDPOINT_DOWN = new Set([
  'LM_CONNECTION',
  'LM_UNREACHABLE',
  'LM_AUTHENTICATION',
  'LM_NOT_FOUND',
  'LM_CONFIGURATION',
  'LM_QUOTA_EXCEEDED',
  'LM_CACHE_MISS',
  'NO_LM',
]);

/** With fail-fast on, this many failed examples in a row from the start, all LM failures, end the run. */
export const FAIL_FAST_WINDOW = 5;

/** The kind of a failure: an LM error (or no LM at all) is the LM's, anything else the program's. */
export function failureKindOf(error: unknown): Exclude<FailureKind, 'metric'> {
  return LMError.isInstance(error) || (ConfigurationError.isInstance(error) && error.code === 'NO_LM')
    ? 'lm'
    : 'program';
}

/** True for an LM failure that means every other call would fail the same way. */
export function isEndpointDown(error: unknown): boolean {
  return (LMError.isInstance(error) || ConfigurationError.isInstance(error)) && ENDPOINT_DOWN.has(error.code);
}

/** The error a metric's exception becomes: it names the example and keeps the metric's own error (and stack). */
export function metricFailure(index: number, error: unknown): MetricError {
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new MetricError(
    `The metric threw on example ${index}: ${what} — fix the metric (its stack is the cause of this error).`,
    { cause: error },
  );
}

/**
 * What ends an evaluation early because of `result`, if anything: the LM's own error when the endpoint is
 * down (fail-fast), or when it is the first `FAIL_FAST_WINDOW` examples in a row and all failed at the LM;
 * the LM error when LM errors stop the run; the metric's error when metric errors do.
 */
export function stopFor(
  result: EvaluationResult<any, any>,
  state: { succeeded: number; lmFailures: number },
  policy: { failFast: boolean; lmErrors: 'fail-example' | 'stop'; metricErrors: 'fail-example' | 'stop' },
): unknown {
  if (result.failure === 'metric') return policy.metricErrors === 'stop' ? result.error : undefined;
  if (result.failure !== 'lm') return undefined;
  if (policy.lmErrors === 'stop') return result.error;
  if (!policy.failFast) return undefined;
  if (isEndpointDown(result.error)) return result.error;
  return state.succeeded === 0 && state.lmFailures >= FAIL_FAST_WINDOW ? result.error : undefined;
}
