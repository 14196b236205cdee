import type OpenAI from 'openai';
import type { PreparedCall } from '../chat-transport';
import type { WireCompletion } from '../completion-reply';
import type { ResolvedEndpoint } from '../endpoint';
import { createOpenAIClient } from '../openai-client';
import { completionsFromWire, usageFromWire } from '../openai-wire';
import { costOf, type ModelPrice } from '../prices';
import type { CallOptions, ChatMessage, LMResponse } from '../types';

/** One chat request as a line of a Batch API input file. */
export interface BatchRequest {
  /** The line's `custom_id`: the request's cache key, so a re-run finds it again. */
  readonly customId: string;
  /** The `/v1/chat/completions` body, as `lm.call()` would send it. */
  readonly body: Record<string, unknown>;
  readonly messages: ChatMessage[];
  /** Whether Sigil's cache already holds the answer (the call is then made as usual). */
  readonly cached: boolean;
}

/**
 * What a provider batch needs of an `LM`: its requests as batch lines, its results taken back through the
 * same cache, accounting and history as a call's, and an SDK client for the files and batches endpoints.
 */
export interface BatchPort {
  /** The endpoint's base URL and the wire model, naming the batch in the journal. */
  readonly endpoint: string;
  readonly model: string;
  request(messages: ChatMessage[], options: CallOptions): Promise<BatchRequest>;
  /** Turns a result line's body into the call's response, caching it (cost at the batch price). */
  accept(request: BatchRequest, completion: WireCompletion): Promise<LMResponse>;
  client(): OpenAI;
}

/** The parts of an `LM` its batch port uses. */
export interface BatchPortParts {
  readonly model: string;
  readonly endpoint: ResolvedEndpoint;
  readonly price?: ModelPrice;
  prepare(messages: ChatMessage[], options: CallOptions): PreparedCall;
  keyOf(messages: ChatMessage[], call: PreparedCall): string;
  isCached(key: string): Promise<boolean>;
  remember(response: LMResponse, messages: ChatMessage[], call: PreparedCall): Promise<void>;
}

/** An LM's batch port (see `LM.batchPort`). */
export function batchPortOf(parts: BatchPortParts, discount: number): BatchPort {
  const prepared = new WeakMap<BatchRequest, PreparedCall>();
  let client: OpenAI | undefined;
  const { endpoint } = parts;
  return {
    endpoint: endpoint.baseURL,
    model: endpoint.wireModel,
    async request(messages, options) {
      const call = parts.prepare(messages, options);
      const customId = parts.keyOf(messages, call);
      const cached = call.key !== undefined && (await parts.isCached(call.key));
      const body = { model: endpoint.wireModel, messages, ...call.parameters };
      const request: BatchRequest = { customId, body, messages, cached };
      prepared.set(request, call);
      return request;
    },
    async accept(request, completion) {
      const call = prepared.get(request) ?? parts.prepare(request.messages, {});
      const usage = usageFromWire(completion.usage);
      const response: LMResponse = {
        completions: completionsFromWire(completion.choices),
        usage,
        cost: costOf(parts.price ?? parts.model, usage) * discount,
        model: endpoint.wireModel,
        cached: false,
        durationMs: performance.now() - call.started,
      };
      await parts.remember(response, request.messages, call);
      return response;
    },
    client() {
      // Global fetch: the upload is multipart, which the SDK builds as FormData.
      client ??= createOpenAIClient(endpoint, `LM "${parts.model}" (batches)`, { transport: 'fetch' });
      return client;
    },
  };
}
