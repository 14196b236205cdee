import { SignatureError } from './errors';

/** The resolved type of a signature field, as the adapters and the JSON schema builder see it. */
export type FieldType =
  | { readonly kind: 'string' }
  | { readonly kind: 'number' }
  | { readonly kind: 'integer' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'any' }
  | { readonly kind: 'array'; readonly items: FieldType }
  | { readonly kind: 'dict'; readonly values: FieldType }
  | { readonly kind: 'literal'; readonly values: readonly LiteralValue[] }
  | { readonly kind: 'optional'; readonly inner: FieldType }
  | ClassFieldType;

/** A value a `oneOf(...)` (Literal) field can take. */
export type LiteralValue = string | number | boolean;

/** The type of a field holding a nested class (`() => Address`). */
export interface ClassFieldType {
  readonly kind: 'class';
  readonly name: string;
  readonly fields: readonly ClassMember[];
  /** The user's class, when the type came from one; parsed values are made instances of it. */
  readonly target?: Function;
}

/** One `@Field()` member of a nested class. */
export interface ClassMember {
  readonly name: string;
  readonly type: FieldType;
  readonly optional?: boolean;
}

/**
 * What users may write in `@Input({ type })` / `@Output({ type })` and in the golden files:
 * `String`, `Number`, `Boolean`, `'integer'`, `[String]`, `() => Address`, `oneOf('a', 'b')`,
 * `arrayOf(...)`, `dictOf(...)`, or the spec's JSON shapes (`{ array: 'string' }`, `{ literal: [...] }`).
 */
export type TypeInput =
  | FieldType
  | StringConstructor
  | NumberConstructor
  | BooleanConstructor
  | ObjectConstructor
  | 'string'
  | 'number'
  | 'integer'
  | 'boolean'
  | 'any'
  | readonly [TypeInput]
  | { readonly array: TypeInput }
  | { readonly dict: TypeInput }
  | { readonly literal: readonly LiteralValue[] }
  | { readonly optional: TypeInput }
  | {
      readonly class: {
        readonly name: string;
        readonly fields: readonly { name: string; type: TypeInput }[];
      };
    }
  | (new (...args: any[]) => unknown)
  | (() => new (...args: any[]) => unknown);

export const STRING: FieldType = Object.freeze({ kind: 'string' });
export const NUMBER: FieldType = Object.freeze({ kind: 'number' });
export const INTEGER: FieldType = Object.freeze({ kind: 'integer' });
export const BOOLEAN: FieldType = Object.freeze({ kind: 'boolean' });
export const ANY: FieldType = Object.freeze({ kind: 'any' });

/** A literal union type: `@Output({ type: oneOf('positive', 'negative') })` → `Literal['positive', 'negative']`. */
export function oneOf<const V extends readonly LiteralValue[]>(...values: V): FieldType {
  if (values.length === 0)
    throw new SignatureError('oneOf() needs at least one value.', { signature: '(oneOf)' });
  return Object.freeze({ kind: 'literal', values: Object.freeze([...values]) });
}

/** A list type: `arrayOf(String)` → `list[str]`. */
export function arrayOf(items: TypeInput): TypeInput {
  return { array: items };
}

/** A string-keyed dictionary type: `dictOf(Number)` → `dict[str, float]`. */
export function dictOf(values: TypeInput): TypeInput {
  return { dict: values };
}

const KINDS = new Set([
  'string',
  'number',
  'integer',
  'boolean',
  'any',
  'array',
  'dict',
  'literal',
  'optional',
  'class',
]);

/** Context for error messages while resolving a type. */
export interface TypeContext {
  signature: string;
  field: string;
  /** Resolves a user class into its nested description (provided by the signature reader). */
  describeClass: (cls: Function) => ClassFieldType;
}

/** Turns anything a user may write as a type into a `FieldType`, or throws a `SignatureError`. */
export function resolveType(input: unknown, ctx: TypeContext): FieldType {
  const fail = (what: string): never => {
    throw new SignatureError(
      `Signature "${ctx.signature}": field "${ctx.field}" has a type that cannot be described (${what}). ` +
        `Pass an explicit type, e.g. @Output({ type: [String] }), @Output({ type: oneOf('a', 'b') }) or @Output({ type: () => MyClass }).`,
      { signature: ctx.signature, field: ctx.field },
    );
  };
  if (input === String || input === 'string' || input === 'str') return STRING;
  if (input === Number || input === 'number' || input === 'float') return NUMBER;
  if (input === 'integer' || input === 'int') return INTEGER;
  if (input === Boolean || input === 'boolean' || input === 'bool') return BOOLEAN;
  if (input === 'any' || input === Object) return ANY;
  if (Array.isArray(input)) {
    if (input.length !== 1) fail('an array type must have exactly one element type, e.g. [String]');
    return Object.freeze({ kind: 'array', items: resolveType(input[0], ctx) });
  }
  if (typeof input === 'function') {
    if (input === Array) fail('Array without an element type');
    if (input === Date || input === Promise || input === Map || input === Set) fail(input.name);
    // A class has a prototype with its own constructor; an arrow thunk has no prototype.
    const isClass =
      Object.prototype.hasOwnProperty.call(input, 'prototype') && /^class[\s{]/.test(fnSource(input));
    if (isClass || (input.prototype && input.length === 0 && input.name && /^[A-Z]/.test(input.name))) {
      return ctx.describeClass(input);
    }
    let target: unknown;
    try {
      target = (input as () => unknown)();
    } catch {
      fail('the type thunk threw');
    }
    if (typeof target !== 'function') fail('a type thunk must return a class');
    return ctx.describeClass(target as Function);
  }
  if (input && typeof input === 'object') {
    const o = input as Record<string, any>;
    if (typeof o.kind === 'string' && KINDS.has(o.kind)) return o as FieldType;
    if ('array' in o) return Object.freeze({ kind: 'array', items: resolveType(o.array, ctx) });
    if ('dict' in o) return Object.freeze({ kind: 'dict', values: resolveType(o.dict, ctx) });
    if ('optional' in o) return Object.freeze({ kind: 'optional', inner: resolveType(o.optional, ctx) });
    if ('literal' in o) {
      const values = o.literal;
      if (!Array.isArray(values) || values.length === 0)
        fail('a literal type needs a non-empty list of values');
      for (const v of values)
        if (!['string', 'number', 'boolean'].includes(typeof v))
          fail('literal values must be strings, numbers or booleans');
      return Object.freeze({ kind: 'literal', values: Object.freeze([...values]) });
    }
    if ('class' in o && o.class && typeof o.class.name === 'string' && Array.isArray(o.class.fields)) {
      const fields = o.class.fields.map((f: { name: string; type: unknown; optional?: boolean }) =>
        Object.freeze({
          name: f.name,
          type: resolveType(f.type, { ...ctx, field: `${ctx.field}.${f.name}` }),
          optional: !!f.optional,
        }),
      );
      return Object.freeze({ kind: 'class', name: o.class.name, fields: Object.freeze(fields) });
    }
  }
  return fail(input === undefined ? 'no type information' : String(input));
}

function fnSource(fn: Function): string {
  try {
    return Function.prototype.toString.call(fn);
  } catch {
    return '';
  }
}

/** True when values of this type are strings (ChatAdapter prints no type note for them). */
export function isStringType(type: FieldType): boolean {
  return type.kind === 'string';
}
