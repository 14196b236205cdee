/**
 * Field-level streaming (DSPy's stream listeners): the text of each output field as a reply streams in,
 * read incrementally. ChatAdapter's reader finds `[[ ## name ## ]]` markers as they arrive (a marker split
 * across deltas is held back until it is whole); JSONAdapter's reads the reply's JSON object as it grows.
 * Joined, a field's deltas are the text the adapter's `parse` reads for it.
 */
import type { SignatureSpec } from '../signature/signature-spec';

/** Some text of one output field. */
export interface FieldDelta {
  readonly field: string;
  readonly delta: string;
}

/** Reads one streamed reply: feed it the deltas, then `end()`. */
export interface FieldStream {
  push(text: string): FieldDelta[];
  end(): FieldDelta[];
}

// A marker line as DSPy matches it (`re.match` on the stripped line).
const MARKER = /^\[\[ ## ([\p{L}\p{N}_]+) ## \]\]/u;
// What a line may begin with while it could still become a marker: each token of `[[ ## name ## ]]` in
// turn, every later one optional (`[[ ##`, `[[ ## ans`, `[[ ## answer ## ]`).
const MARKER_TOKENS = ['\\[', '\\[', ' ', '#', '#', ' ', '[\\p{L}\\p{N}_]+', ' ', '#', '#', ' ', '\\]'];
const PARTIAL_MARKER = new RegExp(
  `^${MARKER_TOKENS.reduceRight((rest, token) => `${token}(?:${rest})?`, '')}$`,
  'u',
);

/**
 * ChatAdapter's reader. A field's text is what follows its marker up to the next marker, stripped (leading
 * whitespace is skipped, trailing whitespace held until more text follows); only the first section of each
 * output field counts, as in `ChatAdapter.parse`.
 */
export class MarkerFieldStream implements FieldStream {
  private readonly outputs: ReadonlySet<string>;
  private readonly seen = new Set<string>();
  /** The current line's text not yet decided (it may still become a marker). */
  private line = '';
  /** Whether `line` is known to be content (then it is emitted as it arrives). */
  private lineIsContent = false;
  private field: string | undefined;
  private started = false;
  private pendingSpace = '';

  constructor(signature: SignatureSpec<any, any>) {
    this.outputs = new Set(signature.outputNames);
  }

  push(text: string): FieldDelta[] {
    const out: FieldDelta[] = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (ch === '\n' || ch === '\r') {
        this.take(text.slice(start, i), out);
        this.endLine(ch, out);
        start = i + 1;
      }
    }
    this.take(text.slice(start), out);
    return out;
  }

  end(): FieldDelta[] {
    const out: FieldDelta[] = [];
    if (!this.lineIsContent && this.line) this.decide(out, true);
    this.line = '';
    return out;
  }

  /** Adds text of the current line (no line breaks in it). */
  private take(piece: string, out: FieldDelta[]): void {
    if (!piece) return;
    if (this.lineIsContent) {
      this.content(piece, out);
      return;
    }
    this.line += piece;
    this.decide(out, false);
  }

  /** Decides whether the current line is a marker, content, or still undecided. */
  private decide(out: FieldDelta[], final: boolean): void {
    const trimmed = this.line.replace(/^\s+/, '');
    if (trimmed === '' && !final) return;
    const marker = MARKER.exec(trimmed);
    if (marker) {
      this.section(marker[1]);
      this.lineIsContent = true;
      const rest = trimmed.slice(marker[0].length);
      this.line = '';
      this.content(rest, out);
      return;
    }
    if (!final && PARTIAL_MARKER.test(trimmed)) return;
    this.lineIsContent = true;
    const text = this.line;
    this.line = '';
    this.content(text, out);
  }

  private endLine(ch: string, out: FieldDelta[]): void {
    if (!this.lineIsContent) this.decide(out, true);
    this.lineIsContent = false;
    this.line = '';
    this.content(ch, out);
  }

  private section(name: string): void {
    this.field = this.outputs.has(name) && !this.seen.has(name) ? name : undefined;
    if (this.field) this.seen.add(this.field);
    this.started = false;
    this.pendingSpace = '';
  }

  /** Text of the current section: emitted without its leading whitespace, trailing whitespace held. */
  private content(text: string, out: FieldDelta[]): void {
    if (this.field === undefined || !text) return;
    let body = text;
    if (!this.started) {
      body = body.replace(/^\s+/, '');
      if (!body) return;
      this.started = true;
    }
    const trailing = /\s+$/.exec(body);
    const visible = trailing ? body.slice(0, trailing.index) : body;
    if (visible) {
      out.push({ field: this.field, delta: this.pendingSpace + visible });
      this.pendingSpace = trailing ? trailing[0] : '';
    } else {
      this.pendingSpace += body;
    }
  }
}

/**
 * JSONAdapter's reader: the reply's first JSON object, read as it grows. A string value of an output key is
 * streamed decoded, as it arrives; any other value (a number, a list, an object) as its JSON text once it
 * is complete. Text before the object (a code fence) and after it is ignored.
 */
export class JsonFieldStream implements FieldStream {
  private readonly outputs: ReadonlySet<string>;
  private depth = 0;
  private inString = false;
  private escape = '';
  private key = '';
  /** At depth 1: reading a key, waiting for a value, or in a value. */
  private phase: 'key' | 'colon' | 'value' | 'after' = 'key';
  private field: string | undefined;
  private valueIsString = false;
  private raw = '';
  private done = false;

  constructor(signature: SignatureSpec<any, any>) {
    this.outputs = new Set(signature.outputNames);
  }

  push(text: string): FieldDelta[] {
    const out: FieldDelta[] = [];
    let decoded = '';
    const flush = () => {
      if (decoded && this.field) out.push({ field: this.field, delta: decoded });
      decoded = '';
    };
    for (const ch of text) {
      if (this.done) break;
      if (this.depth === 0) {
        if (ch === '{') {
          this.depth = 1;
          this.phase = 'key';
        }
        continue;
      }
      if (this.inString) {
        const streaming = this.depth === 1 && this.phase === 'value' && this.valueIsString;
        const inKey = this.depth === 1 && this.phase === 'key';
        if (!streaming && !inKey) {
          // A string inside a nested value: kept as JSON text; only its end matters.
          this.raw += ch;
          if (this.escape) this.escape = '';
          else if (ch === '\\') this.escape = ch;
          else if (ch === '"') this.inString = false;
          continue;
        }
        if (this.escape) {
          this.escape += ch;
          const complete = this.escape.length === 2 ? this.escape[1] !== 'u' : this.escape.length === 6;
          if (!complete) continue;
          const char = unescape(this.escape);
          this.escape = '';
          if (streaming) decoded += char;
          else this.key += char;
        } else if (ch === '\\') this.escape = ch;
        else if (ch === '"') {
          this.inString = false;
          if (inKey) this.phase = 'colon';
          else {
            flush();
            this.phase = 'after';
          }
        } else if (streaming) decoded += ch;
        else this.key += ch;
        continue;
      }
      this.structural(ch, out);
    }
    flush();
    return out;
  }

  end(): FieldDelta[] {
    const out: FieldDelta[] = [];
    if (!this.done && this.phase === 'value' && !this.valueIsString) this.finishRaw(out);
    return out;
  }

  private structural(ch: string, out: FieldDelta[]): void {
    if (this.depth === 1) {
      if (this.phase === 'key') {
        if (ch === '"') {
          this.inString = true;
          this.key = '';
        } else if (ch === '}') this.close();
        return;
      }
      if (this.phase === 'colon') {
        if (ch === ':') {
          this.phase = 'value';
          this.field = this.outputs.has(this.key) ? this.key : undefined;
          this.valueIsString = false;
          this.raw = '';
          this.valueStarted = false;
        }
        return;
      }
      if (this.phase === 'after') {
        if (ch === ',') this.phase = 'key';
        else if (ch === '}') this.close();
        return;
      }
      // phase 'value', at depth 1
      if (!this.valueStarted) {
        if (/\s/.test(ch)) return;
        this.valueStarted = true;
        if (ch === '"') {
          this.valueIsString = true;
          this.inString = true;
          return;
        }
      }
      if (ch === ',' || ch === '}') {
        this.finishRaw(out);
        if (ch === '}') this.close();
        else this.phase = 'key';
        return;
      }
    }
    // Inside a nested value (or a scalar at depth 1): keep its text.
    this.raw += ch;
    if (ch === '"') this.inString = true;
    else if (ch === '{' || ch === '[') this.depth++;
    else if (ch === '}' || ch === ']') this.depth--;
  }

  private valueStarted = false;

  private finishRaw(out: FieldDelta[]): void {
    const text = this.raw.trim();
    if (this.field && text) out.push({ field: this.field, delta: text });
    this.raw = '';
    this.phase = 'after';
  }

  private close(): void {
    this.depth = 0;
    this.done = true;
  }
}

const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

function unescape(sequence: string): string {
  if (sequence[1] === 'u') {
    const code = Number.parseInt(sequence.slice(2), 16);
    return Number.isNaN(code) ? '' : String.fromCharCode(code);
  }
  return ESCAPES[sequence[1]] ?? sequence[1];
}
