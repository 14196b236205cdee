/**
 * Field values → the reply text a model would write for the adapter a request used, as DSPy's DummyLM
 * does with its adapter's `format_field_with_value`: ChatAdapter's `[[ ## field ## ]]` blocks, or
 * JSONAdapter's JSON object. The adapter is read from the request: JSONAdapter asks for a
 * `response_format` and describes its outputs as "a JSON object"; anything else is answered in
 * ChatAdapter's format.
 */
import { type CallOptions, type ChatMessage, contentText } from '@sigil/core';
import { formatFieldValue } from '@sigil/core/internal';

/** Output values by field name, e.g. `{ answer: 'Paris' }` or `{ reasoning: '…', label: 'positive' }`. */
export type FieldValues = Record<string, unknown>;

/** Which adapter's reply format the request asks for. */
export type ReplyFormat = 'chat' | 'json';

/** The format the request's adapter expects. */
export function replyFormatOf(messages: readonly ChatMessage[], options: CallOptions): ReplyFormat {
  if (options.responseFormat) return 'json';
  const system = contentText(messages.find((m) => m.role === 'system')?.content ?? '');
  return system.includes('Outputs will be a JSON object') ? 'json' : 'chat';
}

/**
 * The reply for `values`: `[[ ## name ## ]]` blocks in the given order, values printed as DSPy's
 * `format_field_value` prints them (text as is, `True`/`False`, lists and objects as JSON), closed by
 * `[[ ## completed ## ]]` — or, for JSONAdapter, the values as an indented JSON object.
 */
export function formatFieldReply(values: FieldValues, format: ReplyFormat): string {
  if (format === 'json') return JSON.stringify(values, null, 2);
  const blocks = Object.entries(values).map(
    ([name, value]) => `[[ ## ${name} ## ]]\n${formatFieldValue(value, { kind: 'any' })}`,
  );
  return [...blocks, '[[ ## completed ## ]]'].join('\n\n');
}
