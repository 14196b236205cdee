/**
 * DSPy's custom-type markers: a custom type's value (an `Image`) is written into prompt text as its content
 * parts' JSON between two reserved identifiers, and each user message holding one is then split into
 * OpenAI content parts around it (DSPy's `split_message_content_for_custom_types`). Going through text
 * keeps DSPy's bytes wherever the value sits: a field of its own, an item of a list, a saved demo.
 */
import type { ContentPart } from '../lm/types';

/** DSPy's `CUSTOM_TYPE_START_IDENTIFIER`. */
export const CUSTOM_TYPE_START = '<<CUSTOM-TYPE-START-IDENTIFIER>>';
/** DSPy's `CUSTOM_TYPE_END_IDENTIFIER`. */
export const CUSTOM_TYPE_END = '<<CUSTOM-TYPE-END-IDENTIFIER>>';

/** The marked text of a custom type's parts: `<<START>>[{"type": "image_url", …}]<<END>>`. */
export function markedParts(parts: readonly ContentPart[]): string {
  return `${CUSTOM_TYPE_START}${pythonJson(parts)}${CUSTOM_TYPE_END}`;
}

/** `json.dumps(value, ensure_ascii=False)` of plain data (Python's `", "` and `": "` separators). */
function pythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}: ${pythonJson(v)}`);
    return `{${members.join(', ')}}`;
  }
  return JSON.stringify(value ?? null);
}
