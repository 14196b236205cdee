/**
 * Earlier turns that made tool calls, as DSPy's `format_conversation_history` writes them: with native
 * function calling an assistant message carrying `tool_calls` and one `tool` message per result; otherwise
 * the calls in the assistant's text and the results in a user message (`[[ ## tool_call_results ## ]]`).
 */
import type { HistoryMessage } from '../custom-types/history';
import { ToolCalls, type ToolCallResult } from '../custom-types/tool-calls';
import type { ChatMessage, ToolCall } from '../lm/types';
import { isToolCallsType } from '../signature/field-type';
import type { SignatureSpec } from '../signature/signature-spec';
import { pyJson } from './python-repr';

/** What a turn needs of its adapter. */
export interface TurnWriter {
  readonly nativeFunctionCalling: boolean;
  userContent(signature: SignatureSpec<any, any>, values: HistoryMessage, where: string): string;
  assistantContent(signature: SignatureSpec<any, any>, values: HistoryMessage, where: string): string;
}

/** DSPy's `_tool_calls_from_message`: the first value that is a ToolCalls (or `{ tool_calls }`), by field. */
function toolCallsIn(message: HistoryMessage): [string, ToolCalls] | undefined {
  for (const [name, value] of Object.entries(message)) {
    if (value instanceof ToolCalls) return [name, value];
    if (value !== null && typeof value === 'object' && 'tool_calls' in value)
      return [name, ToolCalls.from(value)];
  }
  return undefined;
}

/** DSPy's `_tool_result_content`: text as it is, anything else as JSON. */
function resultContent(value: unknown): string {
  return typeof value === 'string' ? value : pyJson(value);
}

function wireCall(call: ToolCalls['tool_calls'][number]): ToolCall {
  return {
    id: call.id ?? '',
    type: 'function',
    function: { name: call.name, arguments: pyJson(call.args) },
  };
}

/**
 * The messages of one earlier turn holding tool calls, or undefined when it holds none (the caller then
 * writes it as a plain user/assistant pair).
 */
export function toolTurnMessages(
  writer: TurnWriter,
  signature: SignatureSpec<any, any>,
  message: HistoryMessage,
  where: string,
): ChatMessage[] | undefined {
  const found = toolCallsIn(message);
  if (!found) return undefined;
  const [field, calls] = found;
  let results: readonly ToolCallResult[] | undefined = calls.tool_call_results;
  const messages: ChatMessage[] = [];
  const user = writer.userContent(signature, message, where);
  if (user) messages.push({ role: 'user', content: user });
  if (writer.nativeFunctionCalling) {
    let shown = signature;
    for (const f of signature.outputFields) {
      if (isToolCallsType(f.type) || message[f.name] === undefined || message[f.name] === null)
        shown = shown.delete(f.name);
    }
    const content = shown.outputFields.length > 0 ? writer.assistantContent(shown, message, where) : '';
    if (results) {
      // Results are sent only when they answer every call, in order, by id.
      const ids = calls.tool_calls.map((c) => c.id);
      const answered = results.map((r) => r.call_id);
      if (ids.some((id) => !id) || ids.length !== answered.length || ids.some((id, i) => id !== answered[i]))
        results = undefined;
    }
    if (content || results) {
      const assistant: ChatMessage = { role: 'assistant', content: content || null };
      if (results) assistant.tool_calls = calls.tool_calls.map(wireCall);
      messages.push(assistant);
    }
    for (const result of results ?? []) {
      messages.push({
        role: 'tool',
        tool_call_id: result.call_id ?? undefined,
        name: result.name,
        content: resultContent(result.value),
      });
    }
    return messages;
  }
  const values = results ? { ...message, [field]: new ToolCalls(calls.tool_calls) } : message;
  const assistant = writer.assistantContent(signature, values, where);
  if (assistant) messages.push({ role: 'assistant', content: assistant });
  if (results) {
    // DSPy's ToolCallResults model dumped as JSON: every member, defaults included.
    const dumped = {
      tool_call_results: results.map((r) => ({
        call_id: r.call_id ?? null,
        name: r.name,
        value: r.value,
        is_error: r.is_error ?? false,
      })),
    };
    messages.push({ role: 'user', content: `[[ ## tool_call_results ## ]]\n${pyJson(dumped)}` });
  }
  return messages;
}
