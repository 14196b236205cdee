import { AdapterFormatError } from './errors';

/** What an adapter does with a field marker found inside a value (see `AdapterOptions.markers`). */
export type MarkerPolicy = 'keep' | 'escape' | 'reject';

// The markers ChatAdapter splits replies on (any field name, `completed` included).
const MARKER = /\[\[ ## [\p{L}\p{N}_]+ ## \]\]/gu;

/**
 * A value's prompt text with the field markers inside it escaped (`\[[ ## answer ## ]]`, which no longer
 * reads as a field boundary) or refused with an `AdapterFormatError` naming the field and where it was.
 */
export function guardMarkers(
  text: string,
  policy: Exclude<MarkerPolicy, 'keep'>,
  adapter: string,
  signature: string,
  field: string,
  where: string,
): string {
  if (!text.includes('[[ ## ')) return text;
  if (policy === 'escape') return text.replace(MARKER, (marker) => `\\${marker}`);
  MARKER.lastIndex = 0;
  const found = MARKER.exec(text);
  MARKER.lastIndex = 0;
  if (!found) return text;
  throw new AdapterFormatError(
    `${adapter}: field "${field}" of signature "${signature}" (${where}) contains the field marker "${found[0]}", ` +
      `which the model could read as the start of a field. Remove it from the value, or use the adapter option ` +
      `markers: 'escape' to send it escaped.`,
    { signature, adapter, field, where, code: 'ADAPTER_MARKER_IN_VALUE' },
  );
}

/** `guardMarkers` over every string inside a JSON-like value (JSONAdapter's demo replies). */
export function guardMarkersDeep(
  value: unknown,
  policy: Exclude<MarkerPolicy, 'keep'>,
  adapter: string,
  signature: string,
  field: string,
  where: string,
): unknown {
  if (typeof value === 'string') return guardMarkers(value, policy, adapter, signature, field, where);
  if (Array.isArray(value))
    return value.map((v) => guardMarkersDeep(v, policy, adapter, signature, field, where));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      out[k] = guardMarkersDeep(v, policy, adapter, signature, field, where);
    return out;
  }
  return value;
}
