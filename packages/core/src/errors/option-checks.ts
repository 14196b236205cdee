/**
 * Checks of the numeric options of the public API, one rule per option, so every bad value fails at once
 * with an `InvalidOptionError` that names the option, what it got and what it accepts — never later as a
 * hang, a `NaN` on the wire or a silently ignored limit.
 */
import { InvalidOptionError } from './sigil-error';

/** What a numeric option accepts. */
export interface NumberRule {
  /** Whole numbers only. */
  integer?: boolean;
  /** Smallest value allowed (inclusive). */
  min?: number;
  /** Values must be greater than this. */
  above?: number;
  /** Largest value allowed (inclusive). */
  max?: number;
  /** `Infinity` allowed (for "no limit"). */
  infinite?: boolean;
}

/** Common rules. */
export const COUNT: NumberRule = { integer: true, min: 0 };
export const POSITIVE_COUNT: NumberRule = { integer: true, min: 1 };
export const DURATION_MS: NumberRule = { min: 0, infinite: true };
export const LIMIT_MS: NumberRule = { above: 0, infinite: true };
export const POSITIVE: NumberRule = { above: 0 };
export const NON_NEGATIVE: NumberRule = { min: 0 };
export const FINITE: NumberRule = {};

function describeRule(rule: NumberRule): string {
  const kind = rule.integer ? 'a whole number' : 'a number';
  const bounds: string[] = [];
  if (rule.above !== undefined) bounds.push(`> ${rule.above}`);
  if (rule.min !== undefined) bounds.push(`≥ ${rule.min}`);
  if (rule.max !== undefined) bounds.push(`≤ ${rule.max}`);
  const range = bounds.length > 0 ? ` ${bounds.join(' and ')}` : '';
  return `${kind}${range}${rule.infinite ? ' (Infinity for no limit)' : ''}`;
}

function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || value === null || value === undefined) return String(value);
  return `a ${Array.isArray(value) ? 'list' : typeof value}`;
}

function fits(value: unknown, rule: NumberRule): boolean {
  if (typeof value !== 'number' || Number.isNaN(value)) return false;
  if (!Number.isFinite(value)) return Boolean(rule.infinite) && value > 0;
  if (rule.integer && !Number.isInteger(value)) return false;
  if (rule.min !== undefined && value < rule.min) return false;
  if (rule.above !== undefined && value <= rule.above) return false;
  return rule.max === undefined || value <= rule.max;
}

/**
 * Throws `InvalidOptionError` unless `value` is undefined or fits `rule`.
 * @example checkNumber(options.maxIters, 'maxIters', COUNT, 'ReAct(QA)')
 */
export function checkNumber(value: unknown, option: string, rule: NumberRule, where: string): void {
  if (value === undefined || fits(value, rule)) return;
  throw new InvalidOptionError(`${where}: ${option} must be ${describeRule(rule)}, got ${shown(value)}.`, {
    option,
  });
}

/** Checks every option of `values` that `rules` names (`prefix` is prepended to the names in messages). */
export function checkNumbers(
  values: object | undefined,
  rules: Readonly<Record<string, NumberRule>>,
  where: string,
  prefix = '',
): void {
  if (!values) return;
  // for…in, not Object.entries: this runs on every LM call and must not allocate.
  for (const option in rules) {
    const value = (values as Record<string, unknown>)[option];
    if (value !== undefined) checkNumber(value, `${prefix}${option}`, rules[option], where);
  }
}
