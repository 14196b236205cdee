/**
 * How one call's options combine with an LM's defaults: the call's own values win (undefined ones do
 * not count), `extraBody` objects merge, and a call without a timeout gets two minutes.
 */
import type { LMDefaults } from './lm-options';
import type { CallOptions } from './types';

/** The timeout of a call that sets none, and whose LM sets none. */
export const DEFAULT_TIMEOUT_MS = 120_000;

/** Call options that never change the request body: a call with only these sends the LM's default parameters. */
const NOT_PARAMETERS: ReadonlySet<string> = new Set([
  'signal',
  'timeoutMs',
  'priority',
  'cache',
  'rolloutId',
]);

/** The options a call runs with: the LM's defaults overlaid with the call's own. */
export function mergeCallOptions(defaults: LMDefaults, options: CallOptions): CallOptions {
  const merged: CallOptions = { ...defaults, ...withoutUndefined(options) };
  if (defaults.extraBody && options.extraBody) {
    merged.extraBody = { ...defaults.extraBody, ...options.extraBody };
  }
  merged.timeoutMs ??= DEFAULT_TIMEOUT_MS;
  return merged;
}

/** True when the call sets an option that changes the request body (so the LM's cached defaults do not do). */
export function setsParameters(options: CallOptions): boolean {
  for (const name in options) {
    if (options[name as keyof CallOptions] !== undefined && !NOT_PARAMETERS.has(name)) return true;
  }
  return false;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key in value) if (value[key] !== undefined) out[key] = value[key];
  return out;
}
