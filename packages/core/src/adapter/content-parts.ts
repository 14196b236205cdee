/**
 * DSPy's custom-type expansion (`_expand_legacy_custom_type_markers_in_chat_message`): a user message
 * whose text holds marked custom-type parts (`<<CUSTOM-TYPE-START-IDENTIFIER>>[…]<<…-END-IDENTIFIER>>`,
 * what an `Image` prints as) becomes a list of OpenAI content parts — the text before, the image part, the
 * text after. Other messages, and user messages without a marker, are left as they are.
 */
import { CUSTOM_TYPE_END, CUSTOM_TYPE_START } from '../custom-types/marker';
import type { ChatMessage, ContentPart } from '../lm/types';
import { readJson } from './json-reader';
import { pyStr } from './python-repr';
import { pyStrip } from './python-text';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const MARKED = new RegExp(
  `${escapeRegExp(CUSTOM_TYPE_START)}([\\s\\S]*?)${escapeRegExp(CUSTOM_TYPE_END)}`,
  'g',
);

/** The message with its marked custom types expanded into content parts (the same object when it has none). */
export function expandCustomTypes(message: ChatMessage): ChatMessage {
  if (message.role !== 'user' || typeof message.content !== 'string') return message;
  const text = message.content;
  if (!text.includes(CUSTOM_TYPE_START)) return message;
  const parts: ContentPart[] = [];
  let last = 0;
  for (const match of text.matchAll(MARKED)) {
    const start = match.index;
    if (start > last) parts.push({ type: 'text', text: text.slice(last, start) });
    parts.push(...payloadParts(pyStrip(match[1])));
    last = start + match[0].length;
  }
  if (last < text.length) parts.push({ type: 'text', text: text.slice(last) });
  return { ...message, content: parts };
}

/** Expands every message (see `expandCustomTypes`). */
export function expandMessages(messages: ChatMessage[]): ChatMessage[] {
  for (let i = 0; i < messages.length; i++) messages[i] = expandCustomTypes(messages[i]);
  return messages;
}

/** The parts a marked payload holds: JSON, JSON quoted once more (a marker inside a list), else repaired JSON. */
function payloadParts(payload: string): ContentPart[] {
  const parsed = parsePayload(payload);
  if (!Array.isArray(parsed)) return [{ type: 'text', text: payload }];
  return parsed.map((block) =>
    block !== null && typeof block === 'object' && !Array.isArray(block)
      ? (block as ContentPart)
      : { type: 'text', text: pyStr(block) },
  );
}

function parsePayload(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    // DSPy tries the payload as JSON quoted twice next: a marker inside a list or dict was escaped again.
  }
  try {
    return JSON.parse(JSON.parse(`"${payload}"`));
  } catch {
    return readJson(payload);
  }
}
