/**
 * Python's `ast.literal_eval` for the literals models write: strings in either quote (adjacent ones joined),
 * numbers (underscores, hex/octal/binary, a sign), `True`/`False`/`None`, lists, tuples (with or without
 * parentheses), dicts and sets. DSPy falls back to it when json_repair finds nothing in a reply.
 */

/** The literal's value, or `NOT_A_LITERAL`. */
export function literalEval(text: string): unknown {
  const reader = new LiteralReader(text.trim());
  try {
    const value = reader.expression();
    reader.space();
    if (reader.done()) return value;
  } catch {
    // not a literal
  }
  return NOT_A_LITERAL;
}

export const NOT_A_LITERAL = Symbol('not a literal');

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '0': '\0',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '\n': '',
};

const NUMBER =
  /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][-+]?\d(?:_?\d)*)?)/;

class LiteralReader {
  private i = 0;
  constructor(private readonly s: string) {}

  done(): boolean {
    return this.i >= this.s.length;
  }

  space(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }

  /** A value, or a bare tuple `1, 2`. */
  expression(): unknown {
    const first = this.value();
    this.space();
    if (this.s[this.i] !== ',') return first;
    const items = [first];
    while (this.s[this.i] === ',') {
      this.i++;
      this.space();
      if (this.done()) break;
      items.push(this.value());
      this.space();
    }
    return items;
  }

  private value(): unknown {
    this.space();
    const ch = this.s[this.i];
    if (ch === '[') return this.sequence(']');
    if (ch === '(') return this.sequence(')');
    if (ch === '{') return this.braces();
    if (ch === '-' || ch === '+') {
      this.i++;
      const v = this.value();
      if (typeof v === 'number') return ch === '-' ? -v : v;
      if (typeof v === 'bigint') return ch === '-' ? -v : v;
      throw new Error('sign');
    }
    if (/^[rRbBuU]?['"]/.test(this.s.slice(this.i, this.i + 2))) return this.strings();
    const word = /^(True|False|None)(?![\w])/.exec(this.s.slice(this.i));
    if (word) {
      this.i += word[1].length;
      return word[1] === 'True' ? true : word[1] === 'False' ? false : null;
    }
    const num = NUMBER.exec(this.s.slice(this.i));
    if (num) {
      const digits = num[0].replace(/_/g, '');
      // Python rejects leading zeros in an int (`01`), not in a float (`01.5`) or in zero itself (`00`).
      if (/^0\d/.test(digits) && !/[.eE]/.test(digits) && !/^0+$/.test(digits))
        throw new Error('leading zero');
      this.i += num[0].length;
      if (/[\w.]/.test(this.s[this.i] ?? '')) throw new Error('number');
      return toNumber(digits);
    }
    throw new Error(`unexpected ${ch ?? 'end'}`);
  }

  private sequence(close: string): unknown[] {
    this.i++;
    const out: unknown[] = [];
    let commas = 0;
    for (;;) {
      this.space();
      if (this.s[this.i] === close) {
        this.i++;
        // `(x)` is x itself; `(x,)` and `()` are tuples.
        if (close === ')' && out.length === 1 && commas === 0) return out[0] as unknown[];
        return out;
      }
      out.push(this.value());
      this.space();
      if (this.s[this.i] === ',') {
        commas++;
        this.i++;
      } else if (this.s[this.i] !== close) throw new Error(`expected , or ${close}`);
    }
  }

  private braces(): unknown {
    this.i++;
    this.space();
    if (this.s[this.i] === '}') {
      this.i++;
      return {};
    }
    const first = this.value();
    this.space();
    if (this.s[this.i] !== ':') {
      // A set: {1, 2}
      const items = [first];
      while (this.s[this.i] === ',') {
        this.i++;
        this.space();
        if (this.s[this.i] === '}') break;
        items.push(this.value());
        this.space();
      }
      if (this.s[this.i++] !== '}') throw new Error('expected }');
      return items;
    }
    const out: Record<string, unknown> = {};
    let key = first;
    for (;;) {
      this.i++;
      const value = this.value();
      const name = typeof key === 'string' ? key : String(key);
      if (name === '__proto__') Object.defineProperty(out, name, { value, enumerable: true, writable: true });
      else out[name] = value;
      this.space();
      if (this.s[this.i] === ',') {
        this.i++;
        this.space();
      }
      if (this.s[this.i] === '}') {
        this.i++;
        return out;
      }
      key = this.value();
      this.space();
      if (this.s[this.i] !== ':') throw new Error('expected :');
    }
  }

  /** One or more adjacent string literals, joined as Python joins them. */
  private strings(): string {
    let out = '';
    do {
      out += this.string();
      this.space();
    } while (/^[rRbBuU]?['"]/.test(this.s.slice(this.i, this.i + 2)));
    return out;
  }

  private string(): string {
    let raw = false;
    if (/[rRbBuU]/.test(this.s[this.i])) {
      raw = /[rR]/.test(this.s[this.i]);
      this.i++;
    }
    const q = this.s[this.i];
    const triple = this.s.startsWith(q.repeat(3), this.i);
    const close = triple ? q.repeat(3) : q;
    this.i += close.length;
    let out = '';
    while (this.i < this.s.length) {
      if (this.s.startsWith(close, this.i)) {
        this.i += close.length;
        return out;
      }
      const ch = this.s[this.i++];
      if (ch === '\n' && !triple) throw new Error('newline in string');
      if (ch !== '\\' || raw) {
        out += ch;
        if (ch === '\\' && raw) out += this.s[this.i++] ?? '';
        continue;
      }
      const next = this.s[this.i++];
      if (next === 'x' || next === 'u' || next === 'U') {
        const size = next === 'x' ? 2 : next === 'u' ? 4 : 8;
        const hex = this.s.slice(this.i, this.i + size);
        if (!new RegExp(`^[0-9a-fA-F]{${size}}$`).test(hex)) throw new Error('escape');
        out += String.fromCodePoint(parseInt(hex, 16));
        this.i += size;
      } else out += ESCAPES[next] ?? `\\${next}`;
    }
    throw new Error('unterminated string');
  }
}

function toNumber(text: string): number | bigint {
  if (/^0[xXoObB]/.test(text)) {
    const n = BigInt(text);
    return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  }
  if (/[.eE]/.test(text)) return Number(text);
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}
