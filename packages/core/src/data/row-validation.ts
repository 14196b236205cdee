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

/** The signature a `validateWith` option names, if it names one (a class or a spec, not a function). */
export function signatureOfValidator(validator: RowValidator): SignatureSpec<any, any> | undefined {
  if (validator instanceof SignatureSpec) return validator;
  if (typeof validator !== 'function' || !isClass(validator)) return undefined;
  try {
    return signatureOf(validator as SignatureClassLike as new () => object);
  } catch {
    return undefined;
  }
}

/**
 * A checked row's values converted to the signature's field types (`"0.5"` → 0.5, `"true"` → true,
 * `'["a","b"]'` → a list), as the adapters read them: what a CSV row becomes once it validated.
 */
export function convertRow(
  spec: SignatureSpec<any, any>,
  row: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...row };
  for (const field of spec.fields) {
    const value = row[field.name];
    if (value === undefined || value === null || field.type.kind === 'string') continue;
    out[field.name] = parseValue(value, field.type);
  }
  return out;
}

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
 * Checks a row against a signature: every input whose type is not optional is present, at least one output
 * is (most datasets label only some — the labels present are checked), each value fits its field's type
 * (read as the adapters read a reply — `"3"` fits a number), and the output values satisfy the signature's
 * class-validator constraints. Values are checked here; `loadDataset` converts CSV text after the check.
 */
export function signatureRowCheck(spec: SignatureSpec<any, any>): RowCheck {
  const where = `signature "${spec.name}"`;
  return (row) => {
    const outputs: Record<string, unknown> = {};
    if (
      spec.outputFields.length > 0 &&
      spec.outputFields.every((f) => row[f.name] === undefined || row[f.name] === null)
    ) {
      return {
        problem: `has none of the output fields of ${where} (${spec.outputNames.join(', ')}): an example needs at least one label`,
      };
    }
    for (const field of spec.fields) {
      const value = row[field.name];
      if (value === undefined || value === null) {
        if (field.type.kind === 'optional' || field.io === 'output') continue;
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
