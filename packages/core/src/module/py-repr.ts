/**
 * Python's `repr()` of JSON-like data, as DSPy prints a tool's argument schemas into ReAct's instructions:
 * `{'query': {'type': 'string'}}`. Integral numbers print as Python ints, `true` as `True`, `null` as `None`.
 */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  switch (typeof value) {
    case 'string':
      return pyStringRepr(value);
    case 'boolean':
      return value ? 'True' : 'False';
    case 'number':
      return pyNumberRepr(value);
    case 'bigint':
      return value.toString();
    case 'object':
      if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
      return `{${Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined && typeof v !== 'function')
        .map(([k, v]) => `${pyStringRepr(k)}: ${pyRepr(v)}`)
        .join(', ')}}`;
    default:
      return pyStringRepr(String(value));
  }
}

function pyNumberRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  return String(value);
}

/** Python picks single quotes unless the text holds a single quote and no double quote. */
function pyStringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}
