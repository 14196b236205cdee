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

/** A number ≥ 0 (dollars). */
export function nonNegativeNumber(value: string): number {
  const trimmed = value.trim();
  const number = Number(trimmed);
  if (trimmed === '' || !Number.isFinite(number) || number < 0) {
    throw new InvalidArgumentError('expected a number ≥ 0.');
  }
  return number;
}
