/**
 * The network half of an `LM`: one chat request through the scheduler, retried with backoff, turned into an
 * `LMResponse` or a typed `LMError`. Caching, call sharing and history live in `lm.ts`.
 */
import type OpenAI from 'openai';
import type { Accounting } from './accounting';
import { AttemptSignal } from './attempt-signal';
import type { CallControl } from './call-control';
import type { ResolvedEndpoint } from './endpoint';
import { type FailureContext, toLMError } from './error-mapping';
import { LMError } from './errors';
import type { LMEvents } from './events';
import { createOpenAIClient, loadedOpenAIModule } from './openai-client';
import { brokenStream, type ReplyContext, readChatCompletion } from './completion-reply';
import type { TransportOptions } from './http/transport-options';
import { completionsFromWire, estimateTokens, StreamAccumulator, usageFromWire } from './openai-wire';
import { costFromHeaders, costOf, type ModelPrice } from './prices';
import { type RetryOptions, withRetries } from './retry';
import type { Scheduler, SchedulerLease } from './scheduler';
import type { CallOptions, ChatMessage, Completion, LMResponse, Usage } from './types';

/** One call after defaults are merged: its options, wire parameters and cache key. */
export interface PreparedCall {
  options: CallOptions;
  /** What stops the call (its caller's signal, `drain()`, a shared request's last caller leaving). */
  control?: CallControl;
  parameters: Record<string, unknown>;
  key?: string;
  started: number;
}

/** What the transport shares with the LM that owns it. */
export interface TransportParts {
  model: string;
  endpoint: ResolvedEndpoint;
  retry: RetryOptions;
  scheduler: Scheduler;
  events: LMEvents;
  accounting: Accounting;
  price?: ModelPrice;
  transport: TransportOptions;
}

/** A text delta of choice `index`, as `lm.stream()` yields it. */
export interface StreamDelta {
  type: 'delta';
  index: number;
  text: string;
}

/** Sends chat requests to one endpoint with retries, scheduling and typed failures. */
export class ChatTransport {
  private client?: OpenAI;

  constructor(private readonly parts: TransportParts) {}

  /** One non-streaming call, retried until it succeeds or fails for good. */
  complete(messages: ChatMessage[], call: PreparedCall): Promise<LMResponse> {
    return this.withRetries(call, (attempt) => this.attempt(messages, call, attempt));
  }

  /**
   * One streaming call: yields text deltas, returns the full response. Retries happen only before the
   * first byte; the scheduler slot is held until the stream ends or the consumer stops reading.
   */
  async *stream(messages: ChatMessage[], call: PreparedCall): AsyncGenerator<StreamDelta, LMResponse> {
    let lease: SchedulerLease | undefined;
    let attempt: AttemptSignal | undefined;
    let usage: Usage | undefined;
    try {
      const opened = await this.withRetries(call, async (number) => {
        const granted = await this.acquire(messages, call);
        const signal = new AttemptSignal(call.control, call.options.timeoutMs);
        this.beforeRequest(messages, call, number);
        try {
          const body = {
            ...this.body(messages, call),
            stream: true,
            stream_options: { include_usage: true },
          };
          const result = await this.openai()
            .chat.completions.create(body as unknown as OpenAI.ChatCompletionCreateParamsStreaming, {
              signal: signal.signal,
            })
            .withResponse();
          // A server that ignores `stream: true` answers with one whole completion: read it as one.
          const contentType = result.response.headers.get('content-type') ?? '';
          const whole = contentType.includes('text/event-stream')
            ? undefined
            : await readChatCompletion(result.response, this.replyContext(signal.signal));
          lease = granted;
          attempt = signal;
          return { ...result, whole };
        } catch (error) {
          granted.release();
          signal.dispose();
          throw this.failure(error, signal, call);
        }
      });
      if (opened.whole) {
        const completions = completionsFromWire(opened.whole.choices);
        for (const [index, completion] of completions.entries()) {
          if (completion.text) yield { type: 'delta', index, text: completion.text };
        }
        usage = usageFromWire(opened.whole.usage);
        return this.responseOf(completions, usage, opened.response.headers, call);
      }
      const accumulator = new StreamAccumulator();
      let chunks = 0;
      try {
        for await (const chunk of opened.data) {
          chunks++;
          for (const delta of accumulator.add(chunk)) yield { type: 'delta', ...delta };
        }
        // An abort or timeout mid-body can end the SDK's stream quietly: that is no complete answer.
        const signal = attempt as AttemptSignal;
        if (signal.callerAborted || signal.timedOut) throw new Error('the stream was stopped');
      } catch (error) {
        const signal = attempt as AttemptSignal;
        const sdk = loadedOpenAIModule();
        if (
          signal.timedOut ||
          signal.callerAborted ||
          error instanceof LMError ||
          (sdk && error instanceof sdk.APIError)
        ) {
          throw this.failure(error, signal, call);
        }
        throw brokenStream(opened.response, error, chunks, this.replyContext(signal.signal));
      }
      usage = accumulator.usage ?? usageFromWire(undefined);
      return this.responseOf(accumulator.completions(), usage, opened.response.headers, call);
    } finally {
      (attempt as AttemptSignal | undefined)?.dispose(usage === undefined);
      (lease as SchedulerLease | undefined)?.release(usage?.totalTokens);
    }
  }

  /**
   * The error of a call stopped by its signal: the signal's own reason when it is an `LMError` (as
   * `lm.drain()` gives), else an `LMAbortedError` naming the caller's AbortSignal.
   */
  abortedError(call: PreparedCall): LMError {
    const reason: unknown = call.control?.reason ?? call.options.signal?.reason;
    if (reason instanceof LMError) return reason;
    return toLMError(new Error('aborted'), {
      ...this.context(call),
      aborted: true,
      timedOut: false,
    }) as LMError;
  }

  private async attempt(messages: ChatMessage[], call: PreparedCall, number: number): Promise<LMResponse> {
    const lease = this.tryAcquire(messages, call) ?? (await this.acquire(messages, call));
    const attempt = new AttemptSignal(call.control, call.options.timeoutMs);
    this.beforeRequest(messages, call, number);
    try {
      // The raw response, read here: the SDK's own parse (`.withResponse()`) adds request-log bookkeeping
      // and a second pass over the headers that no caller uses, ~10 µs a call, and would let a 200 that
      // is not a completion through as a string or `{}`.
      const http = await this.openai()
        .chat.completions.create(
          this.body(messages, call) as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming,
          { signal: attempt.signal },
        )
        .asResponse();
      const data = await readChatCompletion(http, this.replyContext(attempt.signal));
      const completions = completionsFromWire(data.choices);
      const response = this.responseOf(completions, usageFromWire(data.usage), http.headers, call);
      lease.release(response.usage.totalTokens);
      return response;
    } catch (error) {
      lease.release();
      throw this.failure(error, attempt, call);
    } finally {
      attempt.dispose();
    }
  }

  /** A scheduler slot without waiting, when one is free (the common case): no promise, no queue entry. */
  private tryAcquire(messages: ChatMessage[], call: PreparedCall): SchedulerLease | undefined {
    // A stopped call goes to acquire(), which rejects it.
    if (call.control?.aborted) return undefined;
    return this.parts.scheduler.tryAcquire({
      priority: call.options.priority,
      tokens: estimateTokens(messages, call.options),
    });
  }

  private async acquire(messages: ChatMessage[], call: PreparedCall): Promise<SchedulerLease> {
    try {
      return await this.parts.scheduler.acquire({
        priority: call.options.priority,
        tokens: estimateTokens(messages, call.options),
        signal: call.control?.signal ?? call.options.signal,
      });
    } catch (error) {
      if (call.control?.aborted ?? call.options.signal?.aborted) throw this.abortedError(call);
      throw toLMError(error, { ...this.context(call), aborted: true, timedOut: false });
    }
  }

  private withRetries<T>(call: PreparedCall, run: (attempt: number) => Promise<T>): Promise<T> {
    const { retry, accounting, scheduler, events, model } = this.parts;
    const { deadlineMs } = call.options;
    return withRetries(run, retry, {
      // Read only when a retry waits: the call's AbortSignal is made then, not for every call.
      get signal() {
        return call.control?.signal ?? call.options.signal;
      },
      deadline: deadlineMs !== undefined ? call.started + deadlineMs : undefined,
      onAbort: () => this.abortedError(call),
      onRateLimited: (_error, waitMs) => scheduler.rateLimited(waitMs),
      onRetry: ({ attempt, delayMs, error }) => {
        accounting.retry();
        if (events.has('retry')) events.emit('retry', { model, attempt, delayMs, error });
      },
    });
  }

  private beforeRequest(messages: ChatMessage[], call: PreparedCall, attempt: number): void {
    this.parts.accounting.request();
    if (this.parts.events.has('request')) {
      this.parts.events.emit('request', {
        model: this.parts.model,
        messages,
        options: call.options,
        attempt,
        cacheKey: call.key,
      });
    }
  }

  private body(messages: ChatMessage[], call: PreparedCall): Record<string, unknown> {
    return { model: this.parts.endpoint.wireModel, messages, ...call.parameters };
  }

  private responseOf(
    completions: Completion[],
    usage: Usage,
    headers: Headers,
    call: PreparedCall,
  ): LMResponse {
    const cost = costFromHeaders(headers) ?? costOf(this.parts.price ?? this.parts.model, usage);
    return {
      completions,
      usage,
      cost,
      model: this.parts.endpoint.wireModel,
      cached: false,
      durationMs: performance.now() - call.started,
    };
  }

  private failure(error: unknown, attempt: AttemptSignal, call: PreparedCall): unknown {
    if (attempt.callerAborted) return this.abortedError(call);
    return toLMError(error, { ...this.context(call), timedOut: attempt.timedOut, aborted: false });
  }

  private replyContext(signal: AbortSignal): ReplyContext {
    const { endpoint } = this.parts;
    return { model: endpoint.wireModel, endpoint: endpoint.baseURL, apiKey: endpoint.apiKey, signal };
  }

  private context(call: PreparedCall): Omit<FailureContext, 'aborted' | 'timedOut'> {
    const { endpoint } = this.parts;
    return {
      model: endpoint.wireModel,
      endpoint: endpoint.baseURL,
      apiKey: endpoint.apiKey,
      timeoutMs: call.options.timeoutMs,
    };
  }

  /** The SDK client for this endpoint, made at first use (Sigil's own retries and timeouts apply around it). */
  openai(): OpenAI {
    this.client ??= createOpenAIClient(this.parts.endpoint, `LM "${this.parts.model}"`, this.parts.transport);
    return this.client;
  }
}
