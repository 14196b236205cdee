/**
 * The one printer of values as Python prints them, used wherever a value becomes prompt text: `repr()`
 * (tool schemas in ReAct, containers inside a list given to a `str` field), `str()` (JSONAdapter's `str`
 * outputs given other JSON values) and `json.dumps(…, ensure_ascii=False)` with or without `indent`.
 *
 * JavaScript has one number type where Python has `int` and `float`. A number prints as a float where the
 * field's type says so (`number` → `float`), as a `FloatValue` (see `asFloat`), or when it has a fraction or
 * is beyond integer range; otherwise as an int. `bigint` prints as a Python int of any size.
 */
import { Image } from '../custom-types/image';
import { isFunctionTool, ToolCalls } from '../custom-types/tool-calls';
import type { FieldType } from '../signature/field-type';

/**
 * A number Python holds as a `float`, for positions whose type does not say so (`dict[str, Any]`, a `str`
 * input given a number): `asFloat(3)` prints `3.0` where a plain `3` prints `3`. Parsed replies never
 * contain one; the JSON reader uses it internally to keep a float literal's kind.
 * @example predict.forward({ data: { weight: asFloat(2) } }) // the prompt shows {"weight": 2.0}
 */
export class FloatValue {
  constructor(readonly value: number) {
    Object.freeze(this);
  }
  valueOf(): number {
    return this.value;
  }
  toJSON(): number {
    return this.value;
  }
}

/** Marks a number as a Python `float` for printing (`asFloat(3)` → `3.0`). */
export function asFloat(value: number): FloatValue {
  return new FloatValue(value);
}

/** Whether numbers at this position are floats (a `number` field, or an optional one). */
export function isFloatType(type: FieldType | undefined): boolean {
  return (
    type !== undefined && (type.kind === 'number' || (type.kind === 'optional' && isFloatType(type.inner)))
  );
}

/** Python's `repr(float)`: shortest round-trip digits, exponent below 1e-4 or from 1e16, `.0` otherwise. */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  return finiteFloat(x);
}

/** A float as `json.dumps` writes it: like `repr`, but `NaN`, `Infinity`, `-Infinity`. */
export function floatJson(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  return finiteFloat(x);
}

function finiteFloat(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, expText] = x.toExponential().split('e');
  const exp = Number(expText);
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  return `${sign}${intPart}.${digits.slice(exp + 1) || '0'}`;
}

/** Python's `str(int)` of a JS number holding an integer (no exponent, no `.0`; `-0` is `0`). */
export function intText(x: number): string {
  if (Number.isSafeInteger(x)) return String(x === 0 ? 0 : x);
  return BigInt(Math.trunc(x)).toString();
}

/** A number as Python prints it, `asFloat` when the type says float, else an int when it is integral. */
function numberText(x: number, float: boolean, json: boolean): string {
  if (!float && Number.isInteger(x) && Math.abs(x) < 1e21) return intText(x);
  return json ? floatJson(x) : floatRepr(x);
}

/** Python's `repr()` of a string: single quotes unless the text has a single quote and no double quote. */
export function stringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (NOT_PRINTABLE.test(ch)) out += escapeCodePoint(ch.codePointAt(0)!);
    else out += ch;
  }
  return out + quote;
}

// What Python's str.isprintable() rejects: other (Cc, Cf, Cs, Co, Cn) and separators except the space.
const NOT_PRINTABLE = /^(?! )(?:\p{C}|\p{Z})$/u;

function escapeCodePoint(code: number): string {
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code < 0x10000) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\U${code.toString(16).padStart(8, '0')}`;
}

/** Python's `repr()` of JSON-like data: `{'k': 'v', 'ok': True, 'n': None}`, `[1, 2.5]`. */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  switch (typeof value) {
    case 'string':
      return stringRepr(value);
    case 'boolean':
      return value ? 'True' : 'False';
    case 'number':
      return numberText(value, false, false);
    case 'bigint':
      return value.toString();
    case 'object': {
      if (value instanceof FloatValue) return floatRepr(value.value);
      if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
      if (value instanceof Date) return stringRepr(value.toISOString());
      if (Image.isImage(value)) return value.repr();
      if (value instanceof Map) return pyRepr(Object.fromEntries(value));
      if (value instanceof Set) return pyRepr([...value]);
      const parts: string[] = [];
      for (const [k, v] of Object.entries(value)) {
        if (v === undefined || typeof v === 'function') continue;
        parts.push(`${stringRepr(k)}: ${pyRepr(v)}`);
      }
      return `{${parts.join(', ')}}`;
    }
    default:
      return stringRepr(String(value));
  }
}

/** Python's `str()`: text as it is, `True`/`None`, floats as `repr`, containers as their `repr`. */
export function pyStr(value: unknown): string {
  if (Image.isImage(value)) return value.toString();
  return typeof value === 'string' ? value : pyRepr(value);
}

/** Options of `pyJson`. */
export interface PyJsonOptions {
  /** The field type at this position: `number` prints integral values as floats (`1.0`). */
  type?: FieldType;
  /** `json.dumps(indent=2)` when set: the current indentation. */
  indent?: string;
  /**
   * Non-finite floats as `null`, as DSPy's `serialize_for_json` (pydantic's JSON mode) leaves them inside a
   * value before `json.dumps`; otherwise `NaN` and `Infinity` as `json.dumps` writes them.
   */
  nonFiniteAsNull?: boolean;
}

/** The type of a member of a container type, for float printing. */
function childType(type: FieldType | undefined, key: string | number): FieldType | undefined {
  if (!type) return undefined;
  switch (type.kind) {
    case 'array':
      return type.items;
    case 'dict':
      return type.values;
    case 'optional':
      return childType(type.inner, key);
    case 'class':
      return type.fields.find((f) => f.name === key)?.type;
    default:
      return undefined;
  }
}

/** Python's `json.dumps(value, ensure_ascii=False)` (or with `indent=2` when `options.indent` is set). */
export function pyJson(value: unknown, options: PyJsonOptions = {}): string {
  const { type, indent, nonFiniteAsNull } = options;
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (nonFiniteAsNull && !Number.isFinite(value)) return 'null';
      return numberText(value, isFloatType(type), true);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      return JSON.stringify(String(value));
  }
  if (value instanceof FloatValue)
    return nonFiniteAsNull && !Number.isFinite(value.value) ? 'null' : floatJson(value.value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Image.isImage(value)) return JSON.stringify(value.toJSON());
  // DSPy's custom types serialise as their `format()`: a tool as its description line, calls as `{tool_calls}`.
  if (isFunctionTool(value)) return JSON.stringify(String(value));
  if (value instanceof ToolCalls) return pyJson(value.toJSON(), options);
  if (value instanceof Map) return pyJson(Object.fromEntries(value), options);
  if (value instanceof Set) return pyJson([...value], options);
  const inner = indent === undefined ? undefined : `${indent}  `;
  const open = inner === undefined ? '' : `\n${inner}`;
  const separator = inner === undefined ? ', ' : `,\n${inner}`;
  const close = inner === undefined ? '' : `\n${indent}`;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((v, i) =>
      pyJson(v, { type: childType(type, i), indent: inner, nonFiniteAsNull }),
    );
    return `[${open}${items.join(separator)}${close}]`;
  }
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || typeof v === 'function') continue;
    parts.push(
      `${JSON.stringify(k)}: ${pyJson(v, { type: childType(type, k), indent: inner, nonFiniteAsNull })}`,
    );
  }
  if (parts.length === 0) return '{}';
  return `{${open}${parts.join(separator)}${close}}`;
}
