import { SigilError } from '../errors/sigil-error';
import type { FieldType } from '../signature/field-type';
import { pyStrip } from './python-text';

/** A value that does not fit its field's type; the message says what was expected. Code `VALUE_TYPE`. */
export class ValueTypeError extends SigilError {
  static override readonly code: string = 'VALUE_TYPE';
}

/**
 * DSPy's `parse_value`: strings stay as they are; literals match one option (tolerating quotes and a
 * `Literal[...]` wrapper); anything else is read as JSON, then as a Python literal, then as raw text,
 * and then validated leniently against the type (as pydantic's lax mode does).
 */
export function parseValue(raw: unknown, type: FieldType): unknown {
  if (type.kind === 'string') return typeof raw === 'string' ? raw : stringify(raw);
  if (type.kind === 'literal') return matchLiteral(raw, type.values);
  if (typeof raw !== 'string') return validate(raw, type, '');
  if (type.kind === 'optional' && type.inner.kind === 'string') return raw;
  let candidate: unknown = NOT_PARSED;
  const text = raw;
  candidate = looseJson(text);
  if (candidate === NOT_PARSED) candidate = text;
  return validate(candidate, type, '');
}

function stringify(v: unknown): string {
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}

function matchLiteral(raw: unknown, allowed: readonly (string | number | boolean)[]): unknown {
  if (allowed.includes(raw as never)) return raw;
  if (typeof raw === 'string') {
    let v = pyStrip(raw);
    if ((v.startsWith('Literal[') || v.startsWith('str[')) && v.endsWith(']'))
      v = v.slice(v.indexOf('[') + 1, -1);
    if (v.length > 1 && v[0] === v[v.length - 1] && (v[0] === '"' || v[0] === "'")) v = v.slice(1, -1);
    if (allowed.includes(v)) return v;
    for (const option of allowed) {
      if (typeof option !== 'string' && String(option) === v) return option;
      if (typeof option === 'boolean' && v === (option ? 'True' : 'False')) return option;
    }
  }
  throw new ValueTypeError(
    `${JSON.stringify(raw)} is not one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`,
  );
}

const NOT_PARSED = Symbol('not parsed');

/** JSON first, then a Python literal (single quotes, True/False/None, tuples, trailing commas). */
export function looseJson(text: string): unknown {
  const t = pyStrip(text);
  if (t === '') return NOT_PARSED;
  try {
    return JSON.parse(t);
  } catch {
    // fall through to the Python-literal reader
  }
  const fenced = /^```[a-zA-Z]*\n([\s\S]*?)\n?```$/.exec(t);
  if (fenced) return looseJson(fenced[1]);
  const literal = readLiteral(t);
  if (literal !== NOT_PARSED) return literal;
  // As json_repair does for truncated or sloppy JSON: start at the first bracket, close what is open.
  const repaired = repairJson(t);
  return repaired === undefined ? NOT_PARSED : readLiteral(repaired);
}

function readLiteral(text: string): unknown {
  const reader = new PythonLiteralReader(text);
  try {
    const value = reader.value();
    reader.space();
    if (reader.done()) return value;
  } catch {
    // not a literal
  }
  return NOT_PARSED;
}

/**
 * A best-effort repair of JSON-like text: from the first `[` or `{`, drops trailing commas and closes an
 * unterminated string and every bracket left open. Undefined when there is no bracket to start from.
 */
export function repairJson(text: string): string | undefined {
  const start = text.search(/[[{]/);
  if (start < 0) return undefined;
  const stack: string[] = [];
  let out = '';
  let quote: string | null = null;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      out += ch;
      if (ch === '\\') out += text[++i] ?? '';
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[' || ch === '{') stack.push(ch === '[' ? ']' : '}');
    else if (ch === ']' || ch === '}') {
      if (stack[stack.length - 1] !== ch) break;
      stack.pop();
      out = out.replace(/,\s*$/, '');
      out += ch;
      if (stack.length === 0) return out;
      continue;
    }
    out += ch;
  }
  if (quote) out += quote;
  out = out.replace(/[,:]\s*$/, '');
  while (stack.length > 0) out += stack.pop();
  return out;
}

export { NOT_PARSED };

/** Reads Python/JSON literal syntax: strings in either quote, numbers, True/False/None, lists, tuples, dicts. */
class PythonLiteralReader {
  private i = 0;
  constructor(private readonly s: string) {}
  done(): boolean {
    return this.i >= this.s.length;
  }
  space(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }
  value(): unknown {
    this.space();
    const ch = this.s[this.i];
    if (ch === '[' || ch === '(') return this.sequence(ch === '[' ? ']' : ')');
    if (ch === '{') return this.mapping();
    if (ch === '"' || ch === "'") return this.string();
    const word = /^(True|False|None|true|false|null)\b/.exec(this.s.slice(this.i));
    if (word) {
      this.i += word[1].length;
      return word[1] === 'True' || word[1] === 'true'
        ? true
        : word[1] === 'False' || word[1] === 'false'
          ? false
          : null;
    }
    // Python number literals may group digits with single underscores (`123_456.789`), as
    // `ast.literal_eval` and json_repair (>= 0.54.1) both accept.
    const num = /^[-+]?(\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][-+]?\d(?:_?\d)*)?/.exec(
      this.s.slice(this.i),
    );
    if (num) {
      this.i += num[0].length;
      return Number(num[0].replace(/_/g, ''));
    }
    throw new Error(`unexpected ${ch ?? 'end'} at ${this.i}`);
  }
  private expect(ch: string): void {
    this.space();
    if (this.s[this.i] !== ch) throw new Error(`expected ${ch} at ${this.i}`);
    this.i++;
  }
  private sequence(close: string): unknown[] {
    this.i++;
    const out: unknown[] = [];
    for (;;) {
      this.space();
      if (this.s[this.i] === close) {
        this.i++;
        return out;
      }
      out.push(this.value());
      this.space();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== close) throw new Error(`expected , or ${close}`);
    }
  }
  private mapping(): Record<string, unknown> {
    this.i++;
    const out: Record<string, unknown> = {};
    for (;;) {
      this.space();
      if (this.s[this.i] === '}') {
        this.i++;
        return out;
      }
      const key = this.value();
      this.expect(':');
      out[String(key)] = this.value();
      this.space();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== '}') throw new Error('expected , or }');
    }
  }
  private string(): string {
    const quote = this.s[this.i++];
    let out = '';
    while (this.i < this.s.length) {
      const ch = this.s[this.i++];
      if (ch === quote) return out;
      if (ch === '\\') {
        const next = this.s[this.i++];
        const map: Record<string, string> = {
          n: '\n',
          t: '\t',
          r: '\r',
          '\\': '\\',
          "'": "'",
          '"': '"',
          '0': '\0',
        };
        if (next === 'u') {
          out += String.fromCharCode(parseInt(this.s.slice(this.i, this.i + 4), 16));
          this.i += 4;
        } else out += map[next] ?? `\\${next}`;
      } else out += ch;
    }
    throw new Error('unterminated string');
  }
}

const TRUE_WORDS = new Set(['true', 't', 'yes', 'y', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'f', 'no', 'n', 'off', '0']);

/** Lenient validation of a decoded value against a type (pydantic's lax mode, in spirit). */
export function validate(value: unknown, type: FieldType, path: string): unknown {
  const at = path ? ` at ${path}` : '';
  const fail = (expected: string): never => {
    throw new ValueTypeError(`expected ${expected}${at}, got ${preview(value)}`);
  };
  switch (type.kind) {
    case 'any':
      return value;
    case 'string':
      return typeof value === 'string' ? value : fail('a string');
    case 'number': {
      if (typeof value === 'number' && !Number.isNaN(value)) return value;
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value.trim())))
        return Number(value.trim());
      return fail('a number');
    }
    case 'integer': {
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value)) return Number(value.trim());
      return fail('an integer');
    }
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      if (typeof value === 'number' && (value === 0 || value === 1)) return value === 1;
      if (typeof value === 'string') {
        const w = value.trim().toLowerCase();
        if (TRUE_WORDS.has(w)) return true;
        if (FALSE_WORDS.has(w)) return false;
      }
      return fail('True or False');
    }
    case 'literal':
      return matchLiteral(value, type.values);
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
        const v = value[member.name];
        if (v === undefined || (v === null && member.optional)) {
          if (member.optional) continue;
          throw new ValueTypeError(
            `missing required field "${member.name}" of ${type.name}${path ? ` at ${path}` : ''}`,
          );
        }
        out[member.name] = validate(v, member.type, where);
      }
      return out;
    }
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function preview(v: unknown): string {
  const text = typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
