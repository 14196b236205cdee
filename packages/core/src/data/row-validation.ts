import { DatasetError } from './errors';

/** Checks one row after `map`; returns the problem as text, or nothing when the row is fine. */
export type RowCheck = (row: Record<string, unknown>) => string | undefined | void;

/** A signature class (`@Signature(...) class QA {…}`): rows would be checked against its fields. */
export type SignatureClassLike = abstract new (...args: any[]) => object;

/**
 * What `validateWith` accepts. Today: a `RowCheck` function. The signature class form is the extension
 * point for the signature module — `resolveRowCheck` below is the one place that turns it into a check.
 */
export type RowValidator = RowCheck | SignatureClassLike;

/** Turns a `validateWith` option into a row check. */
export function resolveRowCheck(validator: RowValidator): RowCheck {
  if (typeof validator !== 'function') {
    throw new DatasetError(
      `validateWith must be a function (row) => problem | undefined, got ${typeof validator}`,
      undefined,
      'pass a check function',
    );
  }
  if (isClass(validator)) {
    throw new DatasetError(
      `validateWith got the class "${validator.name}", but validating rows against a signature class is not available yet`,
      undefined,
      'pass a check function (row) => problem | undefined for now',
    );
  }
  return validator as RowCheck;
}

function isClass(value: Function): boolean {
  return /^class[\s{]/.test(Function.prototype.toString.call(value));
}
