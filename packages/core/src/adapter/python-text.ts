/**
 * Python's text rules, reproduced where DSPy's prompts depend on them (str.strip, str.splitlines,
 * textwrap.dedent, str.title). How values print is python-repr.ts.
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
