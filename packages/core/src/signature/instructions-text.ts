/**
 * Python's `inspect.cleandoc`, which DSPy applies to every signature's instructions (`Signature.instructions`):
 * tabs expanded, the first line's leading spaces and the common indent of the other lines removed, and
 * blank lines at either end dropped. Template literals written indented in TS come out as DSPy's would.
 */
export function cleanInstructions(text: string): string {
  const lines = expandTabs(text).split('\n');
  let margin = Infinity;
  for (let i = 1; i < lines.length; i++) {
    const content = lines[i].replace(/^ +/, '').length;
    if (content > 0) margin = Math.min(margin, lines[i].length - content);
  }
  lines[0] = lines[0].replace(/^ +/, '');
  if (margin !== Infinity) for (let i = 1; i < lines.length; i++) lines[i] = lines[i].slice(margin);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  while (lines.length > 0 && lines[0] === '') lines.shift();
  return lines.join('\n');
}

/** Python's `str.expandtabs()` (tab stops every 8 columns, counted from each line start). */
function expandTabs(text: string): string {
  if (!text.includes('\t')) return text;
  let out = '';
  let column = 0;
  for (const ch of text) {
    if (ch === '\t') {
      const pad = 8 - (column % 8);
      out += ' '.repeat(pad);
      column += pad;
    } else {
      out += ch;
      column = ch === '\n' || ch === '\r' ? 0 : column + 1;
    }
  }
  return out;
}
