import { getMetadataStorage, validateSync, type ValidationError } from 'class-validator';

/** A class-validator constraint on a field, in the few shapes a prompt or a JSON schema can state. */
export interface Constraint {
  /** class-validator's name for it: `isIn`, `min`, `max`, `isInt`, `length`, `minLength`, `maxLength`, … */
  readonly kind: string;
  readonly args: readonly unknown[];
}

/** Reads the class-validator constraints declared on `property` of `target` (parent classes included). */
export function readConstraints(target: Function, property: string): Constraint[] {
  const storage = getMetadataStorage();
  const metas = storage.getTargetValidationMetadatas(target, '', true, false);
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
  return getMetadataStorage().getTargetValidationMetadatas(target, '', true, false).length > 0;
}

/** The human text of constraints, in the style DSPy prints pydantic constraints (`Constraints: …`). */
export function describeConstraints(constraints: readonly Constraint[]): string {
  const parts: string[] = [];
  for (const c of constraints) {
    const [a, b] = c.args;
    switch (c.kind) {
      case 'min':
        parts.push(`greater than or equal to: ${a}`);
        break;
      case 'max':
        parts.push(`less than or equal to: ${a}`);
        break;
      case 'minLength':
        parts.push(`minimum length: ${a}`);
        break;
      case 'maxLength':
        parts.push(`maximum length: ${a}`);
        break;
      case 'length':
        parts.push(`minimum length: ${a}`);
        if (b !== undefined) parts.push(`maximum length: ${b}`);
        break;
      case 'isIn':
        parts.push(`one of: ${(a as unknown[]).join(', ')}`);
        break;
      case 'arrayMinSize':
        parts.push(`minimum items: ${a}`);
        break;
      case 'arrayMaxSize':
        parts.push(`maximum items: ${a}`);
        break;
      case 'isPositive':
        parts.push('greater than: 0');
        break;
      case 'matches':
        parts.push(`matches pattern: ${a}`);
        break;
    }
  }
  return parts.join(', ');
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
      case 'length':
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
    }
  }
}

/**
 * Validates parsed output values with the class's class-validator decorators.
 * Returns one readable problem per failed constraint (`label: label must be one of …`); empty when valid.
 */
export function validateFields(target: Function, values: Record<string, unknown>, fields: readonly string[]): string[] {
  const instance = Object.create(target.prototype) as Record<string, unknown>;
  for (const name of fields) instance[name] = values[name];
  const errors = validateSync(instance, { forbidUnknownValues: false, validationError: { target: false, value: false } });
  const wanted = new Set(fields);
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
