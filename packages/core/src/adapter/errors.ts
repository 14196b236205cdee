/**
 * A model's reply could not be turned into the signature's outputs. Carries everything needed to see why:
 * the signature, the raw completion, the fields found and the ones missing or invalid.
 */
export class AdapterParseError extends Error {
  override readonly name = 'AdapterParseError';
  constructor(
    message: string,
    readonly signatureName: string,
    readonly adapter: string,
    readonly completion: string,
    readonly found: readonly string[],
    readonly missing: readonly string[],
    /** Per-field problems (type or constraint violations), `field: problem`. */
    readonly problems: readonly string[] = [],
  ) {
    super(message);
  }
}

/** Shortens a completion for an error message, keeping both ends. */
export function excerpt(text: string, max = 400): string {
  if (text.length <= max) return text;
  const half = Math.floor(max / 2) - 10;
  return `${text.slice(0, half)}\n… (${text.length - 2 * half} characters) …\n${text.slice(-half)}`;
}
