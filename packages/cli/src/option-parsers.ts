/** Parsers for numeric options: a bad value is a commander error naming the option and the value. */
import { InvalidArgumentError } from 'commander';

/** A whole number ≥ `min` (ports, counts, seeds). */
export function wholeNumber(min: number): (value: string) => number {
  return (value) => {
    const trimmed = value.trim();
    const number = Number(trimmed);
    if (trimmed === '' || !Number.isInteger(number) || number < min) {
      throw new InvalidArgumentError(`expected a whole number ≥ ${min}.`);
    }
    return number;
  };
}

/** How many failed examples a run tolerates: a count (`3`) or a share of the examples (`5%`). */
export type ErrorAllowance = { count: number } | { fraction: number };

/** `--max-errors`: a whole number of examples, or a percentage of them. */
export function errorAllowance(value: string): ErrorAllowance {
  const trimmed = value.trim();
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(trimmed);
  if (percent && Number(percent[1]) <= 100) return { fraction: Number(percent[1]) / 100 };
  const number = Number(trimmed);
  if (trimmed !== '' && Number.isInteger(number) && number >= 0) return { count: number };
  throw new InvalidArgumentError('expected a whole number of examples (3) or a percentage of them (5%).');
}

/** The most failed examples `allowance` lets through out of `total`. */
export function allowedErrors(allowance: ErrorAllowance, total: number): number {
  return 'count' in allowance ? allowance.count : Math.floor(allowance.fraction * total);
}

/** A number ≥ 0 (dollars). */
export function nonNegativeNumber(value: string): number {
  const trimmed = value.trim();
  const number = Number(trimmed);
  if (trimmed === '' || !Number.isFinite(number) || number < 0) {
    throw new InvalidArgumentError('expected a number ≥ 0.');
  }
  return number;
}
