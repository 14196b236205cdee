/**
 * A small typed listener API on LM (`lm.on('response', fn)`), the hook for callbacks and tracing.
 * Emitting costs one length check when nobody listens.
 */
import type { LMError } from './errors';
import type { CallOptions, ChatMessage, LMResponse } from './types';

/** Payloads of the LM events. */
export interface LMEventMap {
  /** Before each HTTP attempt (not for cache hits). */
  request: {
    model: string;
    messages: ChatMessage[];
    options: CallOptions;
    attempt: number;
    cacheKey?: string;
  };
  /** After every answered call, from the network or the cache. */
  response: { model: string; messages: ChatMessage[]; response: LMResponse };
  /** Before sleeping ahead of another attempt. */
  retry: { model: string; attempt: number; delayMs: number; error: LMError };
  /** When a call fails for good. */
  error: { model: string; messages: ChatMessage[]; error: unknown };
}

/** Name of an LM event. */
export type LMEventName = keyof LMEventMap;

/** A listener of one LM event. */
export type LMListener<E extends LMEventName> = (event: LMEventMap[E]) => void;

/** Typed listener registry; a throwing listener never breaks the call. */
export class LMEvents {
  private readonly listeners: { [E in LMEventName]: LMListener<E>[] } = {
    request: [],
    response: [],
    retry: [],
    error: [],
  };

  on<E extends LMEventName>(name: E, listener: LMListener<E>): () => void {
    this.listeners[name].push(listener);
    return () => this.off(name, listener);
  }

  off<E extends LMEventName>(name: E, listener: LMListener<E>): void {
    const list = this.listeners[name] as LMListener<E>[];
    const at = list.indexOf(listener);
    if (at >= 0) list.splice(at, 1);
  }

  has(name: LMEventName): boolean {
    return this.listeners[name].length > 0;
  }

  emit<E extends LMEventName>(name: E, event: LMEventMap[E]): void {
    for (const listener of this.listeners[name] as LMListener<E>[]) {
      try {
        listener(event);
      } catch {
        // A broken listener must not fail the call it observes.
      }
    }
  }
}
