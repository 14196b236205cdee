import type { ValidationError } from 'class-validator';
import { classValidator, validationMetadataOf } from './class-validator';
import type { FieldType } from './field-type';

/** A class-validator constraint on a field, in the few shapes a prompt or a JSON schema can state. */
export interface Constraint {
  /** class-validator's name for it: `isIn`, `min`, `max`, `isInt`, `isLength`, `minLength`, `maxLength`, … */
  readonly kind: string;
  readonly args: readonly unknown[];
}

/** Reads the class-validator constraints declared on `property` of `target` (parent classes included). */
export function readConstraints(target: Function, property: string): Constraint[] {
  const metas = validationMetadataOf(target);
  const out: Constraint[] = [];
  for (const meta of metas) {
    if (meta.propertyName !== property) continue;
    const kind = meta.name ?? meta.type;
    out.push(Object.freeze({ kind, args: Object.freeze([...(meta.constraints ?? [])]) }));
  }
  return out;
}

/** True when the class declares any class-validator constraint at all. */
export function hasValidators(target: Function): boolean {
  return validationMetadataOf(target).length > 0;
}

/**
 * The human text of constraints, as DSPy prints pydantic's (`Constraints: …`): lengths first, then bounds
 * (`minimum length`, `maximum length`, `greater than`, `greater than or equal to`, `less than`,
 * `less than or equal to`), then the constraints pydantic has no keyword for.
 */
export function describeConstraints(constraints: readonly Constraint[]): string {
  const parts: [rank: number, text: string][] = [];
  for (const c of constraints) {
    const [a, b] = c.args;
    switch (c.kind) {
      case 'minLength':
        parts.push([0, `minimum length: ${a}`]);
        break;
      case 'maxLength':
        parts.push([1, `maximum length: ${a}`]);
        break;
      case 'isLength':
        parts.push([0, `minimum length: ${a}`]);
        if (b !== undefined) parts.push([1, `maximum length: ${b}`]);
        break;
      case 'isPositive':
        parts.push([2, 'greater than: 0']);
        break;
      case 'min':
        parts.push([3, `greater than or equal to: ${a}`]);
        break;
      case 'isNegative':
        parts.push([4, 'less than: 0']);
        break;
      case 'max':
        parts.push([5, `less than or equal to: ${a}`]);
        break;
      case 'isIn':
        parts.push([6, `one of: ${(a as unknown[]).join(', ')}`]);
        break;
      case 'arrayMinSize':
        parts.push([7, `minimum items: ${a}`]);
        break;
      case 'arrayMaxSize':
        parts.push([8, `maximum items: ${a}`]);
        break;
      case 'matches':
        parts.push([9, `matches pattern: ${a}`]);
        break;
    }
  }
  return parts
    .sort((x, y) => x[0] - y[0])
    .map(([, text]) => text)
    .join(', ');
}

/** Applies constraints to a JSON schema node, the way pydantic states `Field(ge=…, max_length=…)`. */
export function constrainSchema(schema: Record<string, unknown>, constraints: readonly Constraint[]): void {
  for (const c of constraints) {
    const [a, b] = c.args;
    switch (c.kind) {
      case 'min':
        schema.minimum = a;
        break;
      case 'max':
        schema.maximum = a;
        break;
      case 'minLength':
        schema.minLength = a;
        break;
      case 'maxLength':
        schema.maxLength = a;
        break;
      case 'isLength':
        schema.minLength = a;
        if (b !== undefined) schema.maxLength = b;
        break;
      case 'isIn':
        schema.enum = [...(a as unknown[])];
        break;
      case 'isInt':
        if (schema.type === 'number') schema.type = 'integer';
        break;
      case 'arrayMinSize':
        schema.minItems = a;
        break;
      case 'arrayMaxSize':
        schema.maxItems = a;
        break;
      case 'matches':
        if (a instanceof RegExp) schema.pattern = a.source;
        break;
      case 'isPositive':
        schema.exclusiveMinimum = 0;
        break;
      case 'isNegative':
        schema.exclusiveMaximum = 0;
        break;
    }
  }
}

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
