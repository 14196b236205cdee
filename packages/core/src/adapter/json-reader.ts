/**
 * Reading JSON out of model replies the way DSPy does, which is `json_repair.loads`: strict JSON first
 * (Python's `json`, so `NaN`/`Infinity` and integers of any size are accepted), else a tolerant reading that
 * skips prose, fences and comments, accepts single quotes, unquoted keys and words, missing commas and
 * unclosed brackets, and of several top-level values keeps the last when they have the same shape.
 * Nothing readable gives `''`, as json_repair does.
 *
 * Node 20's `JSON.parse` cannot show a number's source text, so this reader is its own: with `keepFloats`
 * a float literal comes back as a `FloatValue` (Python's `str()` of `3.0` is `3.0`, not `3`), and an integer
 * beyond 2^53 as a `bigint`, which `JSON.parse` would round.
 */
import { FloatValue } from './python-repr';
import { FAILED, numberValue, setMember, StrictJson } from './strict-json';

/** Options of `readJson`. */
export interface ReadJsonOptions {
  /** Float literals as `FloatValue` (for Python's `str()` of them); plain numbers otherwise. */
  keepFloats?: boolean;
}

const LONG_INTEGER = /\d{16}/;

/** Whether `JSON.parse` reads this text as Python's `json.loads` would (no `-0`, no integer beyond 2^53). */
export function jsonParseAgrees(text: string): boolean {
  return !LONG_INTEGER.test(text) && !text.includes('-0');
}

/** `json_repair.loads(text)`: the value, or `''` when the text holds none. */
export function readJson(text: string, options: ReadJsonOptions = {}): unknown {
  const keepFloats = options.keepFloats ?? false;
  // JSON.parse is json.loads wherever neither a number's kind nor its exact digits matter.
  // (`-0` is an int 0 in Python, `-0.0` a float -0.0; JSON.parse gives -0 for both.)
  if (!keepFloats && jsonParseAgrees(text)) {
    try {
      return JSON.parse(text);
    } catch {
      // not strict JSON: read it as json_repair does
    }
  }
  const strict = new StrictJson(text, keepFloats).document();
  if (strict !== FAILED) return strict;
  return new Reader(text, keepFloats).tolerantDocument();
}

/** Deep copy with every `FloatValue` turned back into a number. */
export function plainNumbers(value: unknown): unknown {
  if (value instanceof FloatValue) return value.value;
  if (Array.isArray(value)) return value.map(plainNumbers);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) setMember(out, k, plainNumbers(v));
    return out;
  }
  return value;
}

type Value = unknown;

const QUOTES: Record<string, string> = { '"': '"', "'": "'", '\u201c': '\u201d', '\u201d': '\u201d' };
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '/': '/', '\\': '\\' };

function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\n' || ch === '\t' || ch === '\r' || (ch !== undefined && /\s/.test(ch));
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

function isLetter(ch: string | undefined): boolean {
  return ch !== undefined && /\p{L}/u.test(ch);
}

/** Whether a top-level value counts as "something" (json_repair drops empty and falsy values between values). */
function truthy(v: Value): boolean {
  if (v === '' || v === null || v === false || v === 0) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (v && typeof v === 'object' && !(v instanceof FloatValue)) return Object.keys(v).length > 0;
  return true;
}

/** Same type and keys, recursively: a later top-level value of the same shape replaces the earlier one. */
function sameShape(a: Value, b: Value): boolean {
  const kind = (v: Value) =>
    v === null ? 'null' : Array.isArray(v) ? 'list' : v instanceof FloatValue ? 'float' : typeof v;
  if (kind(a) !== kind(b)) return false;
  if (Array.isArray(a)) {
    const bl = b as Value[];
    return a.length === bl.length && a.every((x, i) => sameShape(x, bl[i]));
  }
  if (a && typeof a === 'object' && !(a instanceof FloatValue)) {
    const ao = a as Record<string, Value>;
    const bo = b as Record<string, Value>;
    const keys = Object.keys(ao);
    if (keys.length !== Object.keys(bo).length) return false;
    return keys.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && sameShape(ao[k], bo[k]));
  }
  return true;
}

type Context = 'object' | 'array';

class Reader {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly keepFloats: boolean,
  ) {}

  // ---- tolerant reading (json_repair's repairs) ----

  tolerantDocument(): Value {
    this.i = 0;
    const s = this.s;
    const first = this.topLevelValue(true);
    if (first === FAILED) return '';
    const values: Value[] = [first];
    while (this.i < s.length) {
      const commaBefore = this.commaBefore();
      const value = this.topLevelValue(false);
      if (value === FAILED) break;
      // Later values count only when they hold something; one of the same shape replaces the last.
      if (!truthy(value)) continue;
      const last = values[values.length - 1];
      if ((!commaBefore && sameShape(last, value)) || !truthy(last)) values.pop();
      values.push(value);
    }
    return values.length === 1 ? values[0] : values;
  }

  /** Whether a comma separates the previous top-level value from the next one. */
  private commaBefore(): boolean {
    let j = this.i;
    while (j < this.s.length && isSpace(this.s[j])) j++;
    if (this.s[j] === ',') return true;
    j = this.i - 1;
    while (j >= 0 && isSpace(this.s[j])) j--;
    return j >= 0 && this.s[j] === ',';
  }

  /** The next container at top level (prose, fences and stray characters skipped), or FAILED at the end. */
  private topLevelValue(first: boolean): Value {
    const s = this.s;
    let tried = false;
    while (this.i < s.length) {
      const ch = s[this.i];
      if (ch === '{' || ch === '[') {
        // Text before the first bracket: json_repair tries the rest as strict JSON once.
        if (first && !tried && this.i > 0) {
          tried = true;
          const start = this.i;
          const strict = new StrictJson(this.s, this.keepFloats);
          const value = strict.valueAt(start);
          if (value !== FAILED) this.i = strict.end;
          if (value !== FAILED) return value;
          this.i = start;
        }
        this.i++;
        return ch === '{' ? this.object() : this.array(']');
      }
      if (ch === '(' && s.slice(0, this.i).trim() === '') {
        this.i++;
        const items = this.array(')');
        return items.length === 1 && !this.lastTupleHadComma ? items[0] : items;
      }
      if (ch === '#' || (ch === '/' && (s[this.i + 1] === '/' || s[this.i + 1] === '*'))) {
        this.comment(null);
        continue;
      }
      this.i++;
    }
    return FAILED;
  }

  private lastTupleHadComma = false;

  /** Skips a `#`, `//` or block comment. */
  private comment(context: Context | null): void {
    const s = this.s;
    if (s[this.i] === '/' && s[this.i + 1] === '*') {
      const end = s.indexOf('*/', this.i + 2);
      this.i = end < 0 ? s.length : end + 2;
      return;
    }
    const stops = context === 'array' ? '\n\r]' : context === 'object' ? '\n\r}' : '\n\r';
    this.i += s[this.i] === '#' ? 1 : 2;
    while (this.i < s.length && !stops.includes(s[this.i])) this.i++;
  }

  private isCommentStart(): boolean {
    const ch = this.s[this.i];
    return ch === '#' || (ch === '/' && (this.s[this.i + 1] === '/' || this.s[this.i + 1] === '*'));
  }

  private skipSpace(): void {
    while (this.i < this.s.length && isSpace(this.s[this.i])) this.i++;
  }

  private skipSpaceAndComments(context: Context): void {
    for (;;) {
      this.skipSpace();
      if (this.isCommentStart()) this.comment(context);
      else return;
    }
  }

  /** An object; one with keys but no colon at all (`{"a"}`, `{,}`) reads as the list of its keys. */
  private object(): Value {
    const s = this.s;
    const out: Record<string, unknown> = {};
    const bareKeys: string[] = [];
    let colons = 0;
    let commas = 0;
    for (;;) {
      this.skipSpaceAndComments('object');
      const ch = s[this.i];
      if (ch === undefined || ch === '}' || ch === ']') {
        if (ch !== undefined) this.i++;
        return colons === 0 && (bareKeys.length > 0 || commas > 0) ? bareKeys : out;
      }
      if (ch === ',') {
        commas++;
        this.i++;
        continue;
      }
      const key = this.key();
      this.skipSpaceAndComments('object');
      if (s[this.i] === ':') {
        colons++;
        this.i++;
      } else if (s[this.i] === '}' || s[this.i] === undefined) {
        bareKeys.push(key);
        continue;
      }
      setMember(out, key, this.valueIn('object'));
      this.skipSpaceAndComments('object');
      if (s[this.i] === ',') this.i++;
    }
  }

  private key(): string {
    const s = this.s;
    const ch = s[this.i];
    if (QUOTES[ch] !== undefined) return this.quoted();
    const start = this.i;
    while (this.i < s.length && !':,}\n'.includes(s[this.i])) this.i++;
    // An unquoted key ends at its colon; words before the last space are not part of it (`{a b: 1}`).
    const words = s.slice(start, this.i).trim().split(/\s+/);
    return words[words.length - 1];
  }

  private array(close: ']' | ')'): Value[] {
    const s = this.s;
    const out: Value[] = [];
    let comma = false;
    let expectingItem = true;
    for (;;) {
      this.skipSpace();
      if (this.isCommentStart()) {
        // json_repair skips a comment where an item starts, and reads one after an item as an empty item.
        this.comment('array');
        if (!expectingItem) out.push('');
        continue;
      }
      const ch = s[this.i];
      if (ch === undefined) break;
      if (ch === close || ch === ']' || ch === '}' || ch === ')') {
        this.i++;
        break;
      }
      if (ch === ',') {
        comma = true;
        expectingItem = true;
        this.i++;
        continue;
      }
      const before = this.i;
      out.push(this.valueIn('array'));
      expectingItem = false;
      if (this.i === before) this.i++;
    }
    this.lastTupleHadComma = comma;
    return out;
  }

  /** A value inside a container; a missing one (`{"a": }`) or a comment in its place reads as `''`. */
  private valueIn(context: Context): Value {
    const s = this.s;
    this.skipSpace();
    for (;;) {
      const ch = s[this.i];
      if (ch === undefined) return '';
      if (this.isCommentStart()) {
        this.comment(context);
        return '';
      }
      if (ch === '{') {
        this.i++;
        return this.object();
      }
      if (ch === '[') {
        this.i++;
        return this.array(']');
      }
      if (ch === '(') {
        this.i++;
        const items = this.array(')');
        return items.length === 1 && !this.lastTupleHadComma ? items[0] : items;
      }
      if (QUOTES[ch] !== undefined) return this.quoted();
      if (ch === ',' || ch === '}' || ch === ']') return '';
      if (isDigit(ch) || ch === '-' || ch === '.') return this.looseNumber(context);
      if (isLetter(ch) || ch === '_') return this.word(context);
      this.i++;
    }
  }

  /** A quoted string in any of the quotes models use; unterminated strings run to the end. */
  private quoted(): string {
    const s = this.s;
    const close = QUOTES[s[this.i++]];
    let out = '';
    while (this.i < s.length) {
      const ch = s[this.i++];
      if (ch === close || (close === '\u201d' && ch === '\u201c')) return out;
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const e = s[this.i++];
      if (e === undefined) break;
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(this.i, this.i + 4))) {
        out += String.fromCharCode(parseInt(s.slice(this.i, this.i + 4), 16));
        this.i += 4;
      } else if (ESCAPES[e] !== undefined) out += ESCAPES[e];
      else if (e === '"' || e === "'") out += e;
      else out += `\\${e}`;
    }
    // Unterminated: closing brackets at the very end belong to the containers, not to the string.
    const closers = /[\]}\s]*$/.exec(out)![0];
    if (closers.trim() !== '') {
      this.i -= closers.length;
      return out.slice(0, out.length - closers.length);
    }
    return out;
  }

  /** An unquoted word: `true`/`false`/`null` in any case, else text up to the next delimiter. */
  private word(context: Context): Value {
    const s = this.s;
    const start = this.i;
    const stops = context === 'array' ? ',]\n' : ',}\n';
    while (this.i < s.length && !stops.includes(s[this.i])) this.i++;
    const text = s.slice(start, this.i).trimEnd();
    const lower = text.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    if (lower === 'null') return null;
    return text;
  }

  private looseNumber(context: Context): Value {
    const s = this.s;
    const start = this.i;
    while (this.i < s.length && /[0-9.eE_-]/.test(s[this.i])) this.i++;
    if (isLetter(s[this.i])) {
      this.i = start;
      return this.word(context);
    }
    let text = s.slice(start, this.i).replace(/_/g, '');
    if (/[-eE]$/.test(text) && text.length > 1) {
      text = text.slice(0, -1);
      this.i--;
    }
    if (/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) {
      return numberValue(text, /[.eE]/.test(text), this.keepFloats);
    }
    return text;
  }
}
