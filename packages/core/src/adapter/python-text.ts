/**
 * Python's text rules, reproduced where DSPy's prompts depend on them (str.strip, str.splitlines,
 * textwrap.dedent, float repr, json.dumps with default separators and ensure_ascii=False).
 */

// Characters Python's str.isspace() accepts (differs from JS \s: adds \x1c-\x1f and \x85, drops \ufeff).
const PY_SPACE =
  '\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';
const SPACE_SET = new Set(PY_SPACE);

/** Python's `str.strip()`. */
export function pyStrip(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && SPACE_SET.has(text[start])) start++;
  while (end > start && SPACE_SET.has(text[end - 1])) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

// eslint-disable-next-line no-control-regex -- Python's line boundaries include these control characters.
const LINE_BREAK = /\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]/;

/** Python's `str.splitlines()` (no trailing empty line for a final break). */
export function pySplitlines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(LINE_BREAK);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Python's `textwrap.dedent()`. */
export function pyDedent(text: string): string {
  const lines = text.replace(/^[ \t]+$/gm, '').split('\n');
  let margin: string | undefined;
  for (const line of lines) {
    const m = /^([ \t]*)[^ \t\n]/.exec(line);
    if (!m) continue;
    const indent = m[1];
    if (margin === undefined) margin = indent;
    else if (indent.startsWith(margin)) continue;
    else if (margin.startsWith(indent)) margin = indent;
    else {
      let i = 0;
      while (i < margin.length && i < indent.length && margin[i] === indent[i]) i++;
      margin = margin.slice(0, i);
    }
  }
  if (!margin) return lines.join('\n');
  const m = margin;
  return lines.map((line) => (line.startsWith(m) ? line.slice(m.length) : line)).join('\n');
}

/** Python's `repr(float)`: shortest round-trip digits, exponent below 1e-4 or from 1e16, always a `.0` otherwise. */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, expText] = x.toExponential().split('e');
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = negative ? '-' : '';
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const frac = digits.slice(exp + 1);
  return `${sign}${intPart}.${frac || '0'}`;
}

/** Python's `str(int)` for a JS number holding an integer (no exponent, no `.0`). */
export function pyInt(x: number): string {
  return Number.isSafeInteger(x) ? String(x) : BigInt(Math.trunc(x)).toString();
}

/**
 * How a number prints in Python: `float` fields print as floats (`1.0`), everything else prints
 * integers without a fraction. `hint` says what the field's type expects at this position.
 */
export function pyNumber(x: number, hint: 'float' | 'int' | 'unknown'): string {
  if (hint === 'float') return pyFloat(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e21) return pyInt(x);
  return pyFloat(x);
}

/** Python's `str.title()`. */
export function pyTitle(text: string): string {
  let out = '';
  let previousCased = false;
  for (const ch of text) {
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    const cased = lower !== upper;
    out += cased ? (previousCased ? lower : upper) : ch;
    previousCased = cased;
  }
  return out;
}
