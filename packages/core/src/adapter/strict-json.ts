/**
 * Python's `json.loads`, which DSPy's json_repair tries first: strict JSON plus `NaN`, `Infinity` and
 * `-Infinity`, integers of any size (a `bigint` beyond 2^53) and, with `keepFloats`, float literals kept
 * as `FloatValue`. Node 20's `JSON.parse` shows neither a number's source text nor its kind.
 */
import { FloatValue } from './python-repr';

export const FAILED = Symbol('failed');

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '/': '/', '\\': '\\' };

/** Sets a member, `__proto__` included, as an own property. */
export function setMember(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** A number literal's value: an int (a `bigint` beyond 2^53, `-0` as 0) or a float. */
export function numberValue(text: string, float: boolean, keepFloats: boolean): unknown {
  const x = Number(text);
  if (float) return keepFloats ? new FloatValue(x) : x;
  if (Number.isSafeInteger(x)) return x === 0 ? 0 : x;
  return BigInt(text);
}

/** Reads strict JSON values from a text. */
export class StrictJson {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly keepFloats: boolean,
  ) {}

  /** The end of the last value read. */
  get end(): number {
    return this.i;
  }

  /** The whole text as one strict JSON value, or FAILED. */
  document(): unknown {
    this.i = 0;
    const value = this.valueAt(0);
    if (value === FAILED) return FAILED;
    this.skipJsonSpace();
    return this.i === this.s.length ? value : FAILED;
  }

  /** A strict JSON value starting at `start` (leading JSON space skipped); `i` ends after it. */
  valueAt(start: number): unknown {
    this.i = start;
    try {
      this.skipJsonSpace();
      return this.strictValue();
    } catch {
      return FAILED;
    }
  }

  private skipJsonSpace(): void {
    const s = this.s;
    while (this.i < s.length) {
      const ch = s[this.i];
      if (ch === ' ' || ch === '\n' || ch === '\t' || ch === '\r') this.i++;
      else break;
    }
  }

  private strictValue(): unknown {
    const s = this.s;
    const ch = s[this.i];
    if (ch === '{') {
      this.i++;
      const out: Record<string, unknown> = {};
      this.skipJsonSpace();
      if (s[this.i] === '}') {
        this.i++;
        return out;
      }
      for (;;) {
        this.skipJsonSpace();
        if (s[this.i] !== '"') throw new SyntaxError('key');
        const key = this.strictString();
        this.skipJsonSpace();
        if (s[this.i++] !== ':') throw new SyntaxError(':');
        this.skipJsonSpace();
        setMember(out, key, this.strictValue());
        this.skipJsonSpace();
        const next = s[this.i++];
        if (next === '}') return out;
        if (next !== ',') throw new SyntaxError(',');
      }
    }
    if (ch === '[') {
      this.i++;
      const out: unknown[] = [];
      this.skipJsonSpace();
      if (s[this.i] === ']') {
        this.i++;
        return out;
      }
      for (;;) {
        this.skipJsonSpace();
        out.push(this.strictValue());
        this.skipJsonSpace();
        const next = s[this.i++];
        if (next === ']') return out;
        if (next !== ',') throw new SyntaxError(',');
      }
    }
    if (ch === '"') return this.strictString();
    for (const [word, value] of STRICT_WORDS) {
      if (s.startsWith(word, this.i)) {
        this.i += word.length;
        return value;
      }
    }
    const m = STRICT_NUMBER.exec(s.slice(this.i, this.i + 400));
    if (!m) throw new SyntaxError('value');
    this.i += m[0].length;
    return numberValue(m[0], m[1] !== undefined || m[2] !== undefined, this.keepFloats);
  }

  private strictString(): string {
    const s = this.s;
    const start = ++this.i;
    // Fast path: no escapes.
    const end = s.indexOf('"', start);
    if (end < 0) throw new SyntaxError('unterminated');
    const raw = s.slice(start, end);
    if (!raw.includes('\\')) {
      // eslint-disable-next-line no-control-regex -- json.loads rejects raw control characters in strings
      if (/[\x00-\x1f]/.test(raw)) throw new SyntaxError('control');
      this.i = end + 1;
      return raw;
    }
    let out = '';
    for (;;) {
      const ch = s[this.i++];
      if (ch === undefined) throw new SyntaxError('unterminated');
      if (ch === '"') return out;
      if (ch < ' ') throw new SyntaxError('control');
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const e = s[this.i++];
      if (e === 'u') {
        const hex = s.slice(this.i, this.i + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new SyntaxError('escape');
        out += String.fromCharCode(parseInt(hex, 16));
        this.i += 4;
      } else if (e === '"') out += '"';
      else if (ESCAPES[e] !== undefined) out += ESCAPES[e];
      else throw new SyntaxError('escape');
    }
  }
}

const STRICT_WORDS: [string, unknown][] = [
  ['true', true],
  ['false', false],
  ['null', null],
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
];

const STRICT_NUMBER = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/;
