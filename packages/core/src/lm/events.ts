/**
 * A small typed listener API on LM (`lm.on('response', fn)`), the hook for callbacks and tracing.
 * Emitting costs one length check when nobody listens.
 */
import { TypedEmitter } from '../events/typed-emitter';
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

/** Typed listener registry of an LM; a throwing listener never breaks the call. */
export class LMEvents extends TypedEmitter<LMEventMap> {
  /** True when `name` has a listener. */
  has(name: LMEventName): boolean {
    return this.listens(name);
  }
}
