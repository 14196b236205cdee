/**
 * A tool's arguments from a plain TypeScript class: its properties with class-validator decorators (or
 * `@Field()`) give each argument's JSON schema, as DSPy's `Tool` reads a function's type hints; a call's
 * arguments are then made an instance of the class and validated with class-validator before the tool runs.
 */
import { parseValue } from '../adapter/parse-value';
import { pySchema } from '../adapter/json-schema';
import { readConstraints } from '../signature/constraints';
import { classValidator, validationMetadataOf } from '../signature/class-validator';
import type { ClassFieldType, FieldType } from '../signature/field-type';
import { describeClass } from '../signature/nested-class';

/** The argument schemas, required names and the class type of an argument class. */
export interface ClassArgs {
  readonly args: Record<string, Record<string, unknown>>;
  readonly required: string[];
  readonly type: ClassFieldType;
}

/** The JSON schema of a type with its `$ref`s resolved in place (DSPy's `_resolve_json_schema_reference`). */
function inlineSchema(type: FieldType): Record<string, unknown> {
  const schema = pySchema(type);
  const defs = (schema.$defs ?? {}) as Record<string, unknown>;
  delete schema.$defs;
  const resolve = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(resolve);
    if (node === null || typeof node !== 'object') return node;
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string') return resolve(defs[ref.split('/').pop()!]);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = resolve(v);
    return out;
  };
  return resolve(schema) as Record<string, unknown>;
}

/** class-validator constraints JSON schema can state, as keywords (`@Min(1)` → `minimum: 1`). */
function constraintKeywords(target: Function, property: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of readConstraints(target, property)) {
    const [a, b] = c.args;
    switch (c.kind) {
      case 'min':
        out.minimum = a;
        break;
      case 'max':
        out.maximum = a;
        break;
      case 'minLength':
      case 'arrayMinSize':
        out[c.kind === 'minLength' ? 'minLength' : 'minItems'] = a;
        break;
      case 'maxLength':
      case 'arrayMaxSize':
        out[c.kind === 'maxLength' ? 'maxLength' : 'maxItems'] = a;
        break;
      case 'isLength':
        out.minLength = a;
        if (b !== undefined) out.maxLength = b;
        break;
      case 'isIn':
        if (Array.isArray(a)) out.enum = [...(a as unknown[])];
        break;
    }
  }
  return out;
}

/** Reads an argument class: one schema per property, optional ones (`@IsOptional()`) not required. */
export function argsFromClass(cls: Function, tool: string, argDesc: Record<string, string> = {}): ClassArgs {
  const type = describeClass(cls, `Tool "${tool}"`, 'args');
  const args: Record<string, Record<string, unknown>> = {};
  const required: string[] = [];
  for (const member of type.fields) {
    const schema = member.optional
      ? { anyOf: [inlineSchema(member.type), { type: 'null' }], default: null }
      : inlineSchema(member.type);
    Object.assign(schema, constraintKeywords(cls, member.name));
    if (member.defaultValue) schema.default = member.defaultValue.value;
    if (argDesc[member.name]) schema.description = argDesc[member.name];
    args[member.name] = schema;
    if (!member.optional && !member.defaultValue) required.push(member.name);
  }
  return { args, required, type };
}

/**
 * A call's arguments as an instance of the argument class, checked by its types and its class-validator
 * constraints; the problems (`city: city must be longer than or equal to 2 characters`) when they fail.
 */
export function instantiateArgs(
  type: ClassFieldType,
  args: Record<string, unknown>,
): { value: unknown } | { problems: string[] } {
  let value: unknown;
  try {
    value = parseValue(args, type);
  } catch (error) {
    return { problems: [(error as Error).message] };
  }
  if (!type.target || validationMetadataOf(type.target).length === 0) return { value };
  const errors = classValidator().validateSync(value as object, { forbidUnknownValues: false });
  if (errors.length === 0) return { value };
  const problems: string[] = [];
  const walk = (list: typeof errors, path: string) => {
    for (const error of list) {
      const where = path ? `${path}.${error.property}` : error.property;
      for (const text of Object.values(error.constraints ?? {})) problems.push(`${where}: ${text}`);
      if (error.children?.length) walk(error.children, where);
    }
  };
  walk(errors, '');
  return { problems };
}
