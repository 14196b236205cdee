import type { ValidationError } from 'class-validator';
import { classValidator, validationMetadataOf } from './class-validator';
import type { FieldType } from './field-type';

/** A class-validator constraint on a field, in the few shapes a prompt or a JSON schema can state. */
export interface Constraint {
  /** class-validator's name for it: `isIn`, `min`, `max`, `isInt`, `isLength`, `minLength`, `maxLength`, … */
  readonly kind: string;
  readonly args: readonly unknown[];
}

/**
 * Reads the class-validator constraints declared on `property` of `target` (parent classes included), in
 * the order they are written: decorators apply bottom-up, so class-validator records them in reverse.
 */
export function readConstraints(target: Function, property: string): Constraint[] {
  const metas = validationMetadataOf(target);
  const out: Constraint[] = [];
  for (const meta of metas) {
    if (meta.propertyName !== property) continue;
    const kind = meta.name ?? meta.type;
    out.push(Object.freeze({ kind, args: Object.freeze([...(meta.constraints ?? [])]) }));
  }
  return out.reverse();
}

/** True when the class declares any class-validator constraint at all. */
export function hasValidators(target: Function): boolean {
  return validationMetadataOf(target).length > 0;
}

/** A constraint value as Python's f-string prints it (`0.5`, `10`). */
function valueText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The text of DSPy's `Constraints:` line for pydantic `Field` constraints, in the order they are declared:
 * `greater than or equal to: 1, less than or equal to: 5`. class-validator decorators map to pydantic's
 * (`@Min` → `ge`, `@Max` → `le`, `@IsPositive` → `gt=0`, `@IsNegative` → `lt=0`, `@MinLength`/`@ArrayMinSize`
 * → `min_length`, `@MaxLength`/`@ArrayMaxSize` → `max_length`, `@Length` → both, `@IsDivisibleBy` →
 * `multiple_of`); those DSPy has no words for (`@IsIn`, `@Matches`, `pattern`, …) are enforced on parsing
 * but, as in DSPy, not printed — use `oneOf()` for a closed set of values.
 */
export function describeConstraints(constraints: readonly Constraint[]): string {
  const parts: string[] = [];
  for (const c of constraints) {
    const [a, b] = c.args;
    switch (c.kind) {
      case 'min':
      case 'ge':
        parts.push(`greater than or equal to: ${valueText(a)}`);
        break;
      case 'max':
      case 'le':
        parts.push(`less than or equal to: ${valueText(a)}`);
        break;
      case 'gt':
        parts.push(`greater than: ${valueText(a)}`);
        break;
      case 'lt':
        parts.push(`less than: ${valueText(a)}`);
        break;
      case 'isPositive':
        parts.push('greater than: 0');
        break;
      case 'isNegative':
        parts.push('less than: 0');
        break;
      case 'minLength':
      case 'arrayMinSize':
      case 'min_length':
        parts.push(`minimum length: ${valueText(a)}`);
        break;
      case 'maxLength':
      case 'arrayMaxSize':
      case 'max_length':
        parts.push(`maximum length: ${valueText(a)}`);
        break;
      case 'isLength':
        parts.push(`minimum length: ${valueText(a)}`);
        if (b !== undefined) parts.push(`maximum length: ${valueText(b)}`);
        break;
      case 'isDivisibleBy':
      case 'multiple_of':
        parts.push(`a multiple of the given number: ${valueText(a)}`);
        break;
      case 'allow_inf_nan':
        parts.push(`allow 'inf', '-inf', 'nan' values: ${a ? 'True' : 'False'}`);
        break;
    }
  }
  return parts.join(', ');
}

/** The constraint kinds a signature description may give (pydantic's `Field` keywords). */
export const DESCRIPTION_CONSTRAINTS: ReadonlySet<string> = new Set([
  'gt',
  'ge',
  'lt',
  'le',
  'min_length',
  'max_length',
  'multiple_of',
  'allow_inf_nan',
  'pattern',
]);

/**
 * Validates parsed output values with the class's class-validator decorators.
 * Returns one readable problem per failed constraint (`label: label must be one of …`); empty when valid.
 */
export function validateFields(
  target: Function,
  values: Record<string, unknown>,
  fields: readonly { readonly name: string; readonly type: FieldType }[],
): string[] {
  const instance = Object.create(target.prototype) as Record<string, unknown>;
  for (const field of fields) instance[field.name] = asInstances(values[field.name], field.type);
  const errors = classValidator().validateSync(instance, {
    forbidUnknownValues: false,
    validationError: { target: false, value: false },
  });
  const wanted = new Set(fields.map((f) => f.name));
  const problems: string[] = [];
  const walk = (errs: ValidationError[], path: string) => {
    for (const e of errs) {
      const where = path ? `${path}.${e.property}` : e.property;
      if (!path && !wanted.has(e.property)) continue;
      for (const message of Object.values(e.constraints ?? {})) problems.push(`${where}: ${message}`);
      if (e.children?.length) walk(e.children, where);
    }
  };
  walk(errors, '');
  return problems;
}

/**
 * class-validator checks a nested value against the metadata of its prototype, so a plain object given for a
 * nested-class field (built by hand rather than by an adapter) is re-made with the class's prototype first.
 */
function asInstances(value: unknown, type: FieldType): unknown {
  if (value === null || typeof value !== 'object') return value;
  switch (type.kind) {
    case 'optional':
      return asInstances(value, type.inner);
    case 'array':
      return Array.isArray(value) ? value.map((v) => asInstances(v, type.items)) : value;
    case 'dict': {
      if (Array.isArray(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = asInstances(v, type.values);
      return out;
    }
    case 'class': {
      if (!type.target || Array.isArray(value)) return value;
      const out = (value instanceof type.target ? value : Object.create(type.target.prototype)) as Record<
        string,
        unknown
      >;
      if (out === value) return value;
      for (const [k, v] of Object.entries(value)) {
        const member = type.fields.find((f) => f.name === k);
        out[k] = member ? asInstances(v, member.type) : v;
      }
      return out;
    }
    default:
      return value;
  }
}
