import type { ChatMessage } from '@sigil/core';
import { contentText } from '@sigil/core';

/** A reply in ChatAdapter's format: each field after its marker, then the completed marker. */
export function chatReply(fields: Record<string, unknown>): string {
  const blocks = Object.entries(fields).map(
    ([name, value]) => `[[ ## ${name} ## ]]\n${typeof value === 'string' ? value : JSON.stringify(value)}`,
  );
  return `${blocks.join('\n\n')}\n\n[[ ## completed ## ]]`;
}

/** The system message of a call. */
export function systemOf(messages: ChatMessage[]): string {
  return contentText(messages[0].content);
}

/** The last user message of a call. */
export function lastUserOf(messages: ChatMessage[]): string {
  return contentText(messages[messages.length - 1].content);
}
