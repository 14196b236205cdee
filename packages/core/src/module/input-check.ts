import { FloatValue } from '../adapter/python-repr';
import { pyRepr } from '../adapter/python-repr';
import type { FieldType } from '../signature/field-type';
import type { SignatureSpec } from '../signature/signature-spec';
import { ModuleInputError } from './errors';
import { isHistoryType } from '../signature/field-type';

/**
 * Checks a call's inputs against the signature — an object, every required input present, each value of
 * its field's type — and returns the values to format (defaults filled in, as DSPy's Predict does).
 * `label` names the module in messages (`ChainOfThought(QA)`); `types: false` skips the type checks.
 */
export function checkInputs(
  signature: SignatureSpec<any, any>,
  inputs: Record<string, unknown>,
  label: string,
  types = true,
): Record<string, unknown> {
  if (inputs === null || typeof inputs !== 'object') {
    throw new ModuleInputError(
      `${label} takes an object of inputs { ${signature.inputNames.join(', ')} }, got ${inputs === null ? 'null' : typeof inputs}.`,
      { signature: signature.name, fields: [] },
    );
  }
  const missing = signature.inputFields
    // A History input may be left out (DSPy then sends no earlier turns), as on a conversation's first turn.
    .filter(
      (f) =>
        inputs[f.name] === undefined &&
        f.type.kind !== 'optional' &&
        !f.defaultValue &&
        !isHistoryType(f.type),
    )
    .map((f) => f.name);
  if (missing.length > 0) {
    throw new ModuleInputError(
      `${label} is missing input field(s) ${missing.map((m) => `"${m}"`).join(', ')}; ` +
        `it takes { ${signature.inputNames.join(', ')} }.`,
      { signature: signature.name, fields: missing },
    );
  }
  const values: Record<string, unknown> = {};
  const wrong: string[] = [];
  const problems: string[] = [];
  for (const field of signature.inputFields) {
    const value = inputs[field.name];
    if (value !== undefined) {
      values[field.name] = value;
      const problem = types ? typeProblem(value, field.type) : undefined;
      if (problem) {
        wrong.push(field.name);
        problems.push(`"${field.name}" ${problem}`);
      }
    } else if (field.defaultValue) {
      // As DSPy's Predict: a missing input with a default takes it.
      values[field.name] = field.defaultValue.value;
    }
  }
  if (wrong.length > 0) {
    throw new ModuleInputError(
      `${label}: input ${problems.join('; ')} — pass values of the declared types (or build the module with ` +
        '{ validateInputs: false } to send them as they are).',
      { signature: signature.name, fields: wrong },
    );
  }
  return values;
}

/** Why `value` does not fit `type` (`must be a string, got 42`), or undefined when it does. */
export function typeProblem(value: unknown, type: FieldType): string | undefined {
  // `null` is Python's None, which DSPy sends as `None` for any field (Refine's unset threshold …).
  if (value === null) return undefined;
  const got = () => `got ${describe(value)}`;
  switch (type.kind) {
    case 'any':
      return undefined;
    case 'string':
      return typeof value === 'string' ? undefined : `must be a string, ${got()}`;
    case 'number':
      return typeof value === 'number' || value instanceof FloatValue
        ? undefined
        : `must be a number, ${got()}`;
    case 'integer':
      return (typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint'
        ? undefined
        : `must be a whole number, ${got()}`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `must be true or false, ${got()}`;
    case 'literal':
      return type.values.some((v) => v === value)
        ? undefined
        : `must be one of ${type.values.map((v) => pyRepr(v)).join(', ')}, ${got()}`;
    case 'enum':
      return type.members.some((m) => m.value === value)
        ? undefined
        : `must be one of ${type.members.map((m) => pyRepr(m.value)).join(', ')} (${type.name}), ${got()}`;
    case 'optional':
      return value === null ? undefined : typeProblem(value, type.inner);
    case 'array': {
      if (!Array.isArray(value)) return `must be a list, ${got()}`;
      for (const [i, item] of value.entries()) {
        const problem = typeProblem(item, type.items);
        if (problem) return `item ${i} ${problem}`;
      }
      return undefined;
    }
    case 'dict':
    case 'class':
      return value !== null && typeof value === 'object' && !Array.isArray(value)
        ? undefined
        : `must be an object, ${got()}`;
    default:
      // Kinds with their own values (History, Image …) are checked where they are formatted.
      return undefined;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
