import { parseValue } from '../adapter/parse-value';
import { signatureOf } from '../signature/reader';
import { SignatureSpec } from '../signature/signature-spec';
import { DatasetError } from './errors';

/** A row's problem, with the field it is about when there is one. */
export interface RowProblem {
  problem: string;
  field?: string;
}

/** Checks one row after `map`; returns the problem (text, or with its field), or nothing when the row is fine. */
export type RowCheck = (row: Record<string, unknown>) => string | RowProblem | undefined | void;

/** A signature class (`@Signature(...) class QA {…}`): rows are checked against its fields. */
export type SignatureClassLike = abstract new (...args: any[]) => object;

/**
 * What `validateWith` accepts: a `RowCheck` function, a signature class, or a `SignatureSpec`
 * (`signature('question -> answer')`).
 */
export type RowValidator = RowCheck | SignatureClassLike | SignatureSpec<any, any>;

/** Turns a `validateWith` option into a row check. */
export function resolveRowCheck(validator: RowValidator): RowCheck {
  if (validator instanceof SignatureSpec) return signatureRowCheck(validator);
  if (typeof validator !== 'function') {
    throw new DatasetError(
      `validateWith must be a signature class or a function (row) => problem | undefined, got ${typeof validator}`,
      { hint: 'pass one of those' },
    );
  }
  if (isClass(validator)) {
    let spec: SignatureSpec<any, any>;
    try {
      spec = signatureOf(validator as SignatureClassLike as new () => object);
    } catch (error) {
      throw new DatasetError(
        `validateWith got the class "${validator.name}", which is not a usable signature: ${(error as Error).message}`,
        { hint: 'pass a class decorated with @Signature/@Input/@Output, or a check function' },
      );
    }
    return signatureRowCheck(spec);
  }
  return validator as RowCheck;
}

/**
 * Checks a row against a signature: every input and output field whose type is not optional is present,
 * each value fits its field's type (read as the adapters read a reply — `"3"` fits a number), and the
 * output values satisfy the signature's class-validator constraints. Values are checked, not converted.
 */
export function signatureRowCheck(spec: SignatureSpec<any, any>): RowCheck {
  const where = `signature "${spec.name}"`;
  return (row) => {
    const outputs: Record<string, unknown> = {};
    for (const field of spec.fields) {
      const value = row[field.name];
      if (value === undefined || value === null) {
        if (field.type.kind === 'optional') continue;
        return {
          field: field.name,
          problem: `missing ${field.io} field "${field.name}" that ${where} requires`,
        };
      }
      let parsed: unknown;
      try {
        parsed = parseValue(value, field.type);
      } catch (error) {
        return {
          field: field.name,
          problem: `field "${field.name}" of ${where}: ${(error as Error).message}`,
        };
      }
      if (field.io === 'output') outputs[field.name] = parsed;
    }
    const problems = spec.validateOutputs(outputs);
    if (problems.length === 0) return undefined;
    const field = problems[0].split(/[.:[]/, 1)[0];
    return { field, problem: `${where}: ${problems.join('; ')}` };
  };
}

function isClass(value: Function): boolean {
  return /^class[\s{]/.test(Function.prototype.toString.call(value));
}
