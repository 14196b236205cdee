import { SigilError, type SigilErrorOptions } from '../errors/sigil-error';

/** What an {@link AdapterParseError} carries besides its message. */
export interface AdapterParseDetails extends SigilErrorOptions {
  /** The signature whose outputs were expected. */
  signature: string;
  /** The adapter that parsed (`ChatAdapter`, `JSONAdapter`). */
  adapter: string;
  /** The raw completion text. */
  completion: string;
  /** Output fields found in the reply. */
  found?: readonly string[];
  /** Output fields the reply lacks. */
  missing?: readonly string[];
  /** Per-field problems (type or constraint violations), `field: problem`. */
  problems?: readonly string[];
}

/**
 * A model's reply could not be turned into the signature's outputs. Carries everything needed to see why:
 * the signature, the raw completion, the fields found and the ones missing or invalid. Codes:
 * `ADAPTER_MISSING_FIELDS` (an output is absent), `ADAPTER_INVALID_VALUE` (a value does not fit its type),
 * `ADAPTER_NOT_JSON` (JSONAdapter found no object), `ADAPTER_NO_COMPLETION` (the LM returned nothing).
 */
export class AdapterParseError extends SigilError {
  static override readonly code: string = 'ADAPTER_PARSE';
  readonly signatureName: string;
  readonly adapter: string;
  readonly completion: string;
  readonly found: readonly string[];
  readonly missing: readonly string[];
  readonly problems: readonly string[];

  constructor(message: string, details: AdapterParseDetails) {
    const missing = details.missing ?? [];
    super(message, {
      ...details,
      code: details.code ?? (missing.length > 0 ? 'ADAPTER_MISSING_FIELDS' : 'ADAPTER_INVALID_VALUE'),
    });
    this.signatureName = details.signature;
    this.adapter = details.adapter;
    this.completion = details.completion;
    this.found = details.found ?? [];
    this.missing = missing;
    this.problems = details.problems ?? [];
  }
}

/** Shortens a completion for an error message, keeping both ends. */
export function excerpt(text: string, max = 400): string {
  if (text.length <= max) return text;
  const half = Math.floor(max / 2) - 10;
  return `${text.slice(0, half)}\n… (${text.length - 2 * half} characters) …\n${text.slice(-half)}`;
}

/**
 * A value cannot be put in the prompt as the adapter was asked to (a field marker inside it under
 * `markers: 'reject'`). Names the signature, field and where the value came from (`the inputs`, `demo 2`).
 */
export class AdapterFormatError extends SigilError {
  static override readonly code: string = 'ADAPTER_FORMAT';
  readonly signature: string;
  readonly adapter: string;
  readonly field: string;
  readonly where: string;

  constructor(
    message: string,
    options: SigilErrorOptions & { signature: string; adapter: string; field: string; where: string },
  ) {
    super(message, options);
    this.signature = options.signature;
    this.adapter = options.adapter;
    this.field = options.field;
    this.where = options.where;
  }
}
