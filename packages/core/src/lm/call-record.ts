/**
 * What an LM keeps of each call once it ends: an entry in its own history and the process-wide one (secrets
 * removed, bounded by the history's limits) and a `response` event for listeners.
 */
import type { LMEvents } from './events';
import { type CallHistory, entrySize, globalHistory, withoutSecrets } from './history';
import type { ChatMessage, LMResponse } from './types';

/** One finished call, as recorded. */
export interface CallRecord {
  model: string;
  messages: ChatMessage[];
  parameters: Record<string, unknown>;
  response?: LMResponse;
  /** The failure's message, for a call that failed. */
  error?: string;
}

/** Records a finished call in `history` (and the global history) and emits `response` when it has one. */
export function recordCall(history: CallHistory, events: LMEvents, call: CallRecord): void {
  const { model, messages, response } = call;
  if (history.enabled) {
    const entry = withoutSecrets({ at: Date.now(), ...call });
    globalHistory.push(history.push(entry, entrySize(entry)));
  }
  if (response && events.has('response')) events.emit('response', { model, messages, response });
}
