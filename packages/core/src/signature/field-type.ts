import { History } from '../custom-types/history';
import { Image } from '../custom-types/image';
import { FUNCTION_TOOL, ToolCalls } from '../custom-types/tool-calls';
import { InvalidOptionError } from '../errors/sigil-error';
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
  | OptionalFieldType
  | EnumFieldType
  | ClassFieldType;

/** A value a `oneOf(...)` (Literal) field can take. */
export type LiteralValue = string | number | boolean;

/**
 * A type that also admits `null` (Python `None`). DSPy names `Optional[int]` `Union[int, NoneType]` and
 * `int | None` `UnionType[int, NoneType]`; a TypeScript `?` or `| null` is `Optional[T]` unless the
 * signature says `T | None`.
 */
export interface OptionalFieldType {
  readonly kind: 'optional';
  readonly inner: FieldType;
  /** How Python spells it (`Optional[T]` when absent). Only the printed type name differs. */
  readonly spelling?: 'Optional[T]' | 'T | None';
}

/** A Python `Enum` (a TypeScript `enum` or a class of static values): members by name, with their values. */
export interface EnumFieldType {
  readonly kind: 'enum';
  /** The class name DSPy prints (`Color`): TypeScript enums have none at run time, so it is given. */
  readonly name: string;
  readonly members: readonly EnumMember[];
}

export interface EnumMember {
  readonly name: string;
  readonly value: string | number;
}

/** A default value of a field or class member (wrapped, so that `undefined` can be a default too). */
export interface DefaultValue {
  readonly value: unknown;
}

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
  /** Declared optional (`Optional[T] = None` in pydantic): may be omitted, and is then `null`. */
  readonly optional?: boolean;
  /** A default other than `None` (pydantic `x: int = 3`): an omitted member takes it. */
  readonly defaultValue?: DefaultValue;
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
  | 'history'
  | 'image'
  | 'tool'
  | 'tool_calls'
  | readonly [TypeInput]
  | { readonly array: TypeInput }
  | { readonly dict: TypeInput }
  | { readonly literal: readonly LiteralValue[] }
  | { readonly optional: TypeInput }
  | { readonly nullable: TypeInput }
  | { readonly enum: { readonly name: string; readonly members: Readonly<Record<string, string | number>> } }
  | {
      readonly class: {
        readonly name: string;
        readonly fields: readonly {
          name: string;
          type: TypeInput;
          optional?: boolean;
          default?: unknown;
        }[];
      };
    }
  | (new (...args: any[]) => unknown)
  | (() => new (...args: any[]) => unknown);

export const STRING: FieldType = Object.freeze({ kind: 'string' });
export const NUMBER: FieldType = Object.freeze({ kind: 'number' });
export const INTEGER: FieldType = Object.freeze({ kind: 'integer' });
export const BOOLEAN: FieldType = Object.freeze({ kind: 'boolean' });
export const ANY: FieldType = Object.freeze({ kind: 'any' });

/**
 * DSPy's `dspy.History` as a field type: a model of one member, `messages: list[dict[str, Any]]`. An input
 * of this type is sent as earlier conversation turns, not as a field block.
 */
export const HISTORY: ClassFieldType = Object.freeze({
  kind: 'class',
  name: 'History',
  fields: Object.freeze([
    Object.freeze({
      name: 'messages',
      type: Object.freeze({ kind: 'array', items: { kind: 'dict', values: ANY } }),
    }),
  ]),
  target: History,
}) as ClassFieldType;

/** DSPy's `dspy.Image` as a field type (a model of one member, `url: str`), sent as an `image_url` part. */
export const IMAGE: ClassFieldType = Object.freeze({
  kind: 'class',
  name: 'Image',
  fields: Object.freeze([Object.freeze({ name: 'url', type: STRING })]),
  target: Image,
}) as ClassFieldType;

/**
 * DSPy's `dspy.Tool` as a field type: an input of type `Tool` or `list[Tool]` holds callable tools, sent
 * as the request's `tools` with native function calling and printed as their descriptions otherwise.
 */
export const TOOL: ClassFieldType = Object.freeze({
  kind: 'class',
  name: 'Tool',
  fields: Object.freeze([
    Object.freeze({ name: 'name', type: STRING }),
    Object.freeze({ name: 'desc', type: STRING }),
    Object.freeze({ name: 'args', type: Object.freeze({ kind: 'dict', values: ANY }) }),
  ]),
}) as ClassFieldType;

/**
 * DSPy's `dspy.ToolCalls` as a field type: pydantic's model `ToolCalls { tool_calls: list[ToolCall] }`,
 * `ToolCall { name: str, args: dict[str, Any] }` (the `id` and results are left out of its schema, as DSPy).
 */
export const TOOL_CALLS: ClassFieldType = Object.freeze({
  kind: 'class',
  name: 'ToolCalls',
  fields: Object.freeze([
    Object.freeze({
      name: 'tool_calls',
      type: Object.freeze({
        kind: 'array',
        items: Object.freeze({
          kind: 'class',
          name: 'ToolCall',
          fields: Object.freeze([
            Object.freeze({ name: 'name', type: STRING }),
            Object.freeze({ name: 'args', type: Object.freeze({ kind: 'dict', values: ANY }) }),
          ]),
        }),
      }),
    }),
  ]),
  target: ToolCalls,
}) as ClassFieldType;

/** True for the `Tool` field type or a list of it (an input holding tools). */
export function isToolsType(type: FieldType): boolean {
  return type === TOOL || (type.kind === 'array' && type.items === TOOL);
}

/** True for the `ToolCalls` field type. */
export function isToolCallsType(type: FieldType): boolean {
  return type.kind === 'class' && type.target === ToolCalls;
}

/** True for the `History` field type. */
export function isHistoryType(type: FieldType): boolean {
  return type.kind === 'class' && type.target === History;
}

/** True when the type is `Image` or holds one (`list[Image]`, `Optional[Image]`, `dict[str, Image]`). */
export function holdsImage(type: FieldType): boolean {
  switch (type.kind) {
    case 'class':
      return type.target === Image;
    case 'array':
      return holdsImage(type.items);
    case 'dict':
      return holdsImage(type.values);
    case 'optional':
      return holdsImage(type.inner);
    default:
      return false;
  }
}

/** A literal union type: `@Output({ type: oneOf('positive', 'negative') })` → `Literal['positive', 'negative']`. */
export function oneOf<const V extends readonly LiteralValue[]>(...values: V): FieldType {
  if (values.length === 0)
    throw new SignatureError('oneOf() needs at least one value.', { signature: '(oneOf)' });
  return Object.freeze({ kind: 'literal', values: Object.freeze([...values]) });
}

/**
 * A Python `Enum` type from a TypeScript `enum` or a class of static values; DSPy prints its name, lists its
 * values in the type note and accepts a reply naming a member's value or its name.
 * @example enum Color { Red = 'red', Green = 'green' }  @Output({ type: enumOf(Color, 'Color') }) color!: Color;
 */
export function enumOf(values: object, name?: string): FieldType {
  const typeName = name ?? (typeof values === 'function' ? values.name : '');
  if (!typeName) {
    throw new InvalidOptionError(
      "enumOf() needs the enum's name, which a TypeScript enum does not keep at run time: write enumOf(Color, 'Color').",
      { option: 'enumOf(values, name)' },
    );
  }
  const members: EnumMember[] = [];
  const skip = typeof values === 'function' ? new Set(['length', 'name', 'prototype']) : new Set<string>();
  for (const key of Object.getOwnPropertyNames(values)) {
    if (skip.has(key)) continue;
    const value = (values as Record<string, unknown>)[key];
    // A numeric TypeScript enum maps values back to names (`Color[0] === 'Red'`); those are not members.
    if (/^-?\d+(\.\d+)?$/.test(key) && typeof value === 'string' && (values as any)[value] === Number(key))
      continue;
    if (typeof value !== 'string' && typeof value !== 'number') continue;
    members.push(Object.freeze({ name: key, value }));
  }
  if (members.length === 0) {
    throw new InvalidOptionError(`enumOf(${typeName}) found no members with a string or number value.`, {
      option: 'enumOf(values)',
    });
  }
  return Object.freeze({ kind: 'enum', name: typeName, members: Object.freeze(members) });
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
  'enum',
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
  if (input === History || input === 'history' || input === 'History') return HISTORY;
  if (input === Image || input === 'image' || input === 'Image') return IMAGE;
  if (input === ToolCalls || input === 'tool_calls' || input === 'ToolCalls') return TOOL_CALLS;
  if (input === 'tool' || input === 'Tool') return TOOL;
  if (typeof input === 'function' && (input as { [FUNCTION_TOOL]?: boolean })[FUNCTION_TOOL] === true)
    return TOOL;
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
    if ('nullable' in o)
      return Object.freeze({ kind: 'optional', inner: resolveType(o.nullable, ctx), spelling: 'T | None' });
    if ('enum' in o && o.enum && typeof o.enum.name === 'string' && o.enum.members) {
      return enumOf(o.enum.members, o.enum.name);
    }
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
      const fields = o.class.fields.map(
        (f: { name: string; type: unknown; optional?: boolean; default?: unknown }) =>
          Object.freeze({
            name: f.name,
            type: resolveType(f.type, { ...ctx, field: `${ctx.field}.${f.name}` }),
            optional: !!f.optional,
            ...('default' in f ? { defaultValue: Object.freeze({ value: f.default }) } : {}),
          }),
      );
      return Object.freeze({ kind: 'class', name: o.class.name, fields: Object.freeze(fields) });
    }
  }
  if (
    input &&
    typeof input === 'object' &&
    Object.values(input).every((v) => ['string', 'number'].includes(typeof v))
  ) {
    fail(
      "it looks like a TypeScript enum, which keeps no name at run time: write type: enumOf(MyEnum, 'MyEnum')",
    );
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
