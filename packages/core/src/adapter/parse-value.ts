import { SigilError } from '../errors/sigil-error';
import type { EnumFieldType, FieldType, LiteralValue } from '../signature/field-type';
import { readJson } from './json-reader';
import { literalEval, NOT_A_LITERAL } from './python-literal';
import { FloatValue, pyRepr, pyStr } from './python-repr';
import { pyStrip } from './python-text';

/** A value that does not fit its field's type; the message says what was expected. Code `VALUE_TYPE`. */
export class ValueTypeError extends SigilError {
  static override readonly code: string = 'VALUE_TYPE';
}

/**
 * DSPy's `parse_value`: a `str` field takes the text (or Python's `str()` of a JSON value); an enum takes
 * a member's value or name; a `Literal` takes one option (tolerating quotes and a `Literal[...]` wrapper);
 * anything else is read as json_repair reads it, then as a Python literal, then as the raw text, and then
 * validated as pydantic's lax mode does.
 */
export function parseValue(raw: unknown, type: FieldType): unknown {
  if (type.kind === 'string') return typeof raw === 'string' ? raw : pyStr(raw);
  if (type.kind === 'enum') return findEnumMember(type, raw);
  if (type.kind === 'literal') return matchLiteral(raw, type.values);
  if (typeof raw !== 'string') return validate(raw, type, '');
  if (type.kind === 'optional' && type.inner.kind === 'string') return raw;
  let candidate = readJson(raw);
  if (candidate === '' && raw !== '') {
    const literal = literalEval(raw);
    candidate = literal === NOT_A_LITERAL ? raw : literal;
  }
  return validate(candidate, type, '');
}

/** Python's `==` between JSON-like scalars: numbers by value (`1 == 1.0`, `True == 1`), strings exactly. */
function pyEquals(a: unknown, b: unknown): boolean {
  const num = (v: unknown) =>
    typeof v === 'boolean'
      ? Number(v)
      : typeof v === 'bigint'
        ? Number(v)
        : v instanceof FloatValue
          ? v.value
          : v;
  const x = num(a);
  const y = num(b);
  if (typeof x === 'number' && typeof y === 'number') return x === y;
  return a === b;
}

function allowedText(allowed: readonly LiteralValue[]): string {
  return `(${allowed.map(pyRepr).join(', ')}${allowed.length === 1 ? ',' : ''})`;
}

function matchLiteral(raw: unknown, allowed: readonly LiteralValue[]): unknown {
  if (allowed.some((option) => pyEquals(option, raw))) return raw;
  if (typeof raw === 'string') {
    let v = pyStrip(raw);
    if ((v.startsWith('Literal[') || v.startsWith('str[')) && v.endsWith(']'))
      v = v.slice(v.indexOf('[') + 1, -1);
    if (v.length > 1 && v[0] === v[v.length - 1] && (v[0] === '"' || v[0] === "'")) v = v.slice(1, -1);
    if (allowed.includes(v)) return v;
  }
  throw new ValueTypeError(`${pyRepr(raw)} is not one of ${allowedText(allowed)}`);
}

/** DSPy's `find_enum_member`: a member whose value equals the reply, else one whose name it is. */
function findEnumMember(type: EnumFieldType, raw: unknown): unknown {
  for (const member of type.members) if (pyEquals(member.value, raw)) return member.value;
  const named = typeof raw === 'string' ? type.members.find((m) => m.name === raw) : undefined;
  if (named) return named.value;
  throw new ValueTypeError(`${pyStr(raw)} is not a valid name or value for the enum ${type.name}`);
}

const TRUE_WORDS = new Set(['true', 't', 'yes', 'y', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'f', 'no', 'n', 'off', '0']);
const INT_TEXT = /^[-+]?\d(?:_?\d)*(?:\.0*)?$/;
const FLOAT_TEXT =
  /^[-+]?(?:(?:\d(?:_?\d)*)?\.?\d(?:_?\d)*(?:[eE][-+]?\d(?:_?\d)*)?|\d(?:_?\d)*\.|nan|inf|infinity)$/i;
const I64 = 2 ** 63;

/** Validation of a decoded value against a type, as pydantic's lax (Python) mode does. */
export function validate(value: unknown, type: FieldType, path: string): unknown {
  const at = path ? ` at ${path}` : '';
  const fail = (expected: string): never => {
    throw new ValueTypeError(`expected ${expected}${at}, got ${preview(value)}`);
  };
  if (value instanceof FloatValue) value = value.value;
  switch (type.kind) {
    case 'any':
      return value;
    case 'string':
      return typeof value === 'string' ? value : fail('a string');
    case 'number':
      if (typeof value === 'number') return value;
      if (typeof value === 'bigint') return Number(value);
      if (typeof value === 'boolean') return value ? 1 : 0;
      if (typeof value === 'string' && FLOAT_TEXT.test(value.trim())) return pyFloat(value.trim());
      return fail('a number');
    case 'integer':
      if (typeof value === 'number') {
        if (Number.isInteger(value) && Math.abs(value) < I64) return value === 0 ? 0 : value;
        return fail('an integer');
      }
      if (typeof value === 'bigint') return value;
      if (typeof value === 'boolean') return value ? 1 : 0;
      if (typeof value === 'string' && INT_TEXT.test(value.trim())) {
        const digits = value.trim().replace(/_/g, '').replace(/\.0*$/, '');
        const n = Number(digits);
        return Number.isSafeInteger(n) ? (n === 0 ? 0 : n) : BigInt(digits);
      }
      return fail('an integer');
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'number' && (value === 0 || value === 1)) return value === 1;
      if (typeof value === 'string') {
        const w = value.toLowerCase();
        if (TRUE_WORDS.has(w)) return true;
        if (FALSE_WORDS.has(w)) return false;
      }
      return fail('True or False');
    case 'literal': {
      const option = type.values.find((o) => pyEquals(o, value));
      return option !== undefined ? option : fail(`one of ${allowedText(type.values)}`);
    }
    case 'enum': {
      const member = type.members.find((m) => pyEquals(m.value, value));
      return member ? member.value : fail(`a value of ${type.name}`);
    }
    case 'optional':
      return value === null || value === undefined ? null : validate(value, type.inner, path);
    case 'array':
      if (!Array.isArray(value)) return fail('a list');
      return value.map((v, i) => validate(v, type.items, `${path}[${i}]`));
    case 'dict': {
      if (!isPlainObject(value)) return fail('an object');
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value))
        out[k] = validate(v, type.values, path ? `${path}.${k}` : k);
      return out;
    }
    case 'class': {
      if (!isPlainObject(value)) return fail(`an object (${type.name})`);
      const out: Record<string, unknown> = type.target ? Object.create(type.target.prototype) : {};
      for (const member of type.fields) {
        const where = path ? `${path}.${member.name}` : member.name;
        if (Object.prototype.hasOwnProperty.call(value, member.name) && value[member.name] !== undefined) {
          out[member.name] = validate(
            value[member.name],
            member.optional ? { kind: 'optional', inner: member.type } : member.type,
            where,
          );
        } else if (member.optional) out[member.name] = null;
        else if (member.defaultValue) out[member.name] = structuredClone(member.defaultValue.value);
        else {
          throw new ValueTypeError(
            `missing required field "${member.name}" of ${type.name}${path ? ` at ${path}` : ''}`,
          );
        }
      }
      return out;
    }
  }
}

/** Python's `float()` of text: underscores between digits, `nan`, `inf`, `infinity` in any case. */
function pyFloat(text: string): number {
  const t = text.replace(/_/g, '').toLowerCase();
  if (/^[-+]?nan$/.test(t)) return NaN;
  if (/^[-+]?inf(inity)?$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  return Number(t);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function preview(v: unknown): string {
  let text: string;
  try {
    text = typeof v === 'string' || typeof v === 'object' ? (JSON.stringify(v) ?? String(v)) : pyRepr(v);
  } catch {
    text = pyRepr(v);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
