/**
 * `LM`: the one client Sigil programs use to reach any OpenAI-compatible endpoint (OpenAI, a LiteLLM proxy,
 * a local server), with caching, scheduling, retries, accounting and history around the `openai` package.
 */
import OpenAI from 'openai';
import { Accounting, type LMStats } from './accounting';
import { AttemptSignal } from './attempt-signal';
import type { ResponseCache } from './cache';
import { type ResolvedEndpoint, resolveEndpoint } from './endpoint';
import { toLMError } from './error-mapping';
import { CacheMissError } from './errors';
import { type LMEventName, LMEvents, type LMListener } from './events';
import { CallHistory, globalHistory, type InspectOptions, inspectEntries } from './history';
import {
  completionsFromWire,
  estimateTokens,
  StreamAccumulator,
  usageFromWire,
  wireParameters,
} from './openai-wire';
import { cacheFrom, type LMDefaults, type LMOptions, type LMStreamEvent } from './lm-options';
import { createOpenAIClient } from './openai-client';
import { costFromHeaders, costOf, type ModelPrice } from './prices';
import { chatRequestKey } from './request-key';
import { type RetryOptions, withRetries } from './retry';
import { Scheduler, type SchedulerLease } from './scheduler';
import type { CallOptions, ChatMessage, LanguageModel, LMResponse, Usage } from './types';

interface PreparedCall {
  options: CallOptions;
  parameters: Record<string, unknown>;
  key?: string;
  started: number;
}

const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * An OpenAI-compatible language model.
 * @example
 * const lm = new LM('openai/gpt-4o-mini', { temperature: 0 });
 * const { completions } = await lm.call([{ role: 'user', content: 'Hi' }]);
 */
export class LM implements LanguageModel {
  /** The model name as given (LiteLLM style). */
  readonly model: string;
  readonly supportsStructuredOutputs: boolean;
  readonly cache: ResponseCache<LMResponse>;
  readonly scheduler: Scheduler;
  readonly history: CallHistory;
  private readonly endpoint: ResolvedEndpoint;
  private readonly defaults: LMDefaults;
  private readonly retry: RetryOptions;
  private readonly price?: ModelPrice;
  private readonly events = new LMEvents();
  private readonly accounting = new Accounting();
  private readonly inflight = new Map<string, Promise<LMResponse>>();
  private client?: OpenAI;

  constructor(model: string, options: LMOptions = {}) {
    this.model = model;
    this.endpoint = resolveEndpoint(model, options);
    this.supportsStructuredOutputs = options.supportsStructuredOutputs ?? true;
    this.defaults = {
      temperature: options.temperature,
      maxTokens: options.maxTokens,
      n: options.n,
      stop: options.stop,
      seed: options.seed,
      topP: options.topP,
      extraBody: options.extraBody,
      timeoutMs: options.timeoutMs,
      priority: options.priority,
    };
    this.retry = options.retry ?? {};
    this.price = options.price;
    this.cache = cacheFrom(options.cache);
    this.scheduler = options.scheduler ?? new Scheduler(options);
    this.history = new CallHistory(options.historySize ?? 200);
  }

  /** The model name sent on the wire (`openai/` dropped against OpenAI itself). */
  get wireModel(): string {
    return this.endpoint.wireModel;
  }

  /** The endpoint's base URL. */
  get baseURL(): string {
    return this.endpoint.baseURL;
  }

  /** Sends chat messages and returns the completions; cached, scheduled and retried. */
  async call(messages: ChatMessage[], options: CallOptions = {}): Promise<LMResponse> {
    const call = this.prepare(messages, options);
    const key = call.key;
    if (key === undefined) {
      this.refuseInReplay(call);
      return this.fetchAndStore(messages, call);
    }
    const remembered = this.cache.peek(key);
    if (remembered) return this.servedFromCache(remembered, messages, call);
    const pending = this.inflight.get(key);
    if (pending) return this.servedFromCache(await pending, messages, call);
    const request = this.loadOrFetch(messages, call, key);
    // Identical calls arriving while this one is in flight share its answer (and pay once).
    if (!options.signal) {
      this.inflight.set(key, request);
      const forget = () => this.inflight.delete(key);
      request.then(forget, forget);
    }
    return request;
  }

  /**
   * Streams a call: text deltas as they arrive, then the full response with usage. Retries happen only
   * before the first byte; a cache hit is replayed as one delta per choice.
   */
  async *stream(messages: ChatMessage[], options: CallOptions = {}): AsyncGenerator<LMStreamEvent> {
    const call = this.prepare(messages, options);
    const cached = call.key !== undefined ? await this.cache.get(call.key) : undefined;
    if (cached) {
      const response = this.servedFromCache(cached, messages, call);
      for (const [index, completion] of response.completions.entries()) {
        yield { type: 'delta', index, text: completion.text };
      }
      yield { type: 'done', response };
      return;
    }
    this.refuseInReplay(call);
    let lease: SchedulerLease | undefined;
    let attempt: AttemptSignal | undefined;
    let usage: Usage | undefined;
    try {
      const opened = await this.withRetries(messages, call, async (number) => {
        const granted = await this.acquire(messages, call);
        const signal = new AttemptSignal(call.options.signal, call.options.timeoutMs);
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
          lease = granted;
          attempt = signal;
          return result;
        } catch (error) {
          granted.release();
          signal.dispose();
          throw this.failure(error, signal, call);
        }
      });
      const accumulator = new StreamAccumulator();
      try {
        for await (const chunk of opened.data) {
          for (const delta of accumulator.add(chunk)) yield { type: 'delta', ...delta };
        }
      } catch (error) {
        throw this.failure(error, attempt as AttemptSignal, call);
      }
      usage = accumulator.usage ?? usageFromWire(undefined);
      const response = this.responseOf(accumulator.completions(), usage, opened.response.headers, call);
      await this.remember(response, messages, call);
      yield { type: 'done', response };
    } catch (error) {
      this.failed(error, messages, call);
      throw error;
    } finally {
      (attempt as AttemptSignal | undefined)?.dispose(usage === undefined);
      (lease as SchedulerLease | undefined)?.release(usage?.totalTokens);
    }
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends LMEventName>(name: E, listener: LMListener<E>): () => void {
    return this.events.on(name, listener);
  }

  /** Removes a listener added with `on`. */
  off<E extends LMEventName>(name: E, listener: LMListener<E>): void {
    this.events.off(name, listener);
  }

  /** Tokens paid for since construction or the last `resetStats()` (cache hits excluded). */
  usage(): Usage {
    return this.accounting.snapshot().usage;
  }

  /** Calls, cache hits, retries, tokens and cost, with paid and cached amounts kept apart. */
  stats(): LMStats {
    return this.accounting.snapshot();
  }

  /** Zeroes the counters behind `usage()` and `stats()`. */
  resetStats(): void {
    this.accounting.reset();
  }

  /** Prints (and returns) this LM's last `n` calls. */
  inspectHistory(n = 1, options: InspectOptions = {}): string {
    return inspectEntries(this.history, n, options);
  }

  private prepare(messages: ChatMessage[], options: CallOptions): PreparedCall {
    const merged: CallOptions = { ...this.defaults, ...withoutUndefined(options) };
    if (this.defaults.extraBody && options.extraBody) {
      merged.extraBody = { ...this.defaults.extraBody, ...options.extraBody };
    }
    merged.timeoutMs ??= DEFAULT_TIMEOUT_MS;
    const parameters = wireParameters(this.endpoint.wireModel, merged);
    const useCache = this.cache.readable && options.cache !== false;
    const key = useCache ? this.cacheKey(messages, parameters, merged.rolloutId) : undefined;
    return { options: merged, parameters, key, started: performance.now() };
  }

  private cacheKey(messages: ChatMessage[], parameters: Record<string, unknown>, rolloutId: unknown): string {
    return chatRequestKey(this.endpoint.wireModel, messages, parameters, rolloutId);
  }

  private refuseInReplay(call: PreparedCall): void {
    if (this.cache.mode !== 'replay') return;
    const digest =
      call.key ?? chatRequestKey(this.endpoint.wireModel, [], call.parameters, call.options.rolloutId);
    throw new CacheMissError(
      `LM "${this.model}": no cached answer for request ${digest.slice(0, 16)} and the cache is in replay mode, ` +
        `so the network is not used. Record it first with cache mode 'read-write'` +
        (this.cache.dir ? ` (cache folder: ${this.cache.dir}).` : '.'),
      { model: this.endpoint.wireModel, endpoint: this.endpoint.baseURL, digest },
    );
  }

  private servedFromCache(entry: LMResponse, messages: ChatMessage[], call: PreparedCall): LMResponse {
    const response: LMResponse = { ...entry, cached: true, durationMs: performance.now() - call.started };
    this.accounting.servedFromCache(entry.usage, entry.cost);
    this.record(messages, call, response);
    return response;
  }

  private async loadOrFetch(messages: ChatMessage[], call: PreparedCall, key: string): Promise<LMResponse> {
    const stored = await this.cache.loadFromDisk(key);
    if (stored) return this.servedFromCache(stored, messages, call);
    this.refuseInReplay(call);
    return this.fetchAndStore(messages, call);
  }

  private async fetchAndStore(messages: ChatMessage[], call: PreparedCall): Promise<LMResponse> {
    try {
      const response = await this.withRetries(messages, call, (attempt) =>
        this.attempt(messages, call, attempt),
      );
      await this.remember(response, messages, call);
      return response;
    } catch (error) {
      this.failed(error, messages, call);
      throw error;
    }
  }

  private async attempt(messages: ChatMessage[], call: PreparedCall, number: number): Promise<LMResponse> {
    const lease = await this.acquire(messages, call);
    const attempt = new AttemptSignal(call.options.signal, call.options.timeoutMs);
    this.beforeRequest(messages, call, number);
    try {
      const { data, response: http } = await this.openai()
        .chat.completions.create(
          this.body(messages, call) as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming,
          {
            signal: attempt.signal,
          },
        )
        .withResponse();
      const response = this.responseOf(
        completionsFromWire(data.choices),
        usageFromWire(data.usage),
        http.headers,
        call,
      );
      lease.release(response.usage.totalTokens);
      return response;
    } catch (error) {
      lease.release();
      throw this.failure(error, attempt, call);
    } finally {
      attempt.dispose();
    }
  }

  private async acquire(messages: ChatMessage[], call: PreparedCall): Promise<SchedulerLease> {
    try {
      return await this.scheduler.acquire({
        priority: call.options.priority,
        tokens: estimateTokens(messages, call.options),
        signal: call.options.signal,
      });
    } catch (error) {
      throw toLMError(error, { ...this.failureContext(call), aborted: true, timedOut: false });
    }
  }

  private withRetries<T>(
    messages: ChatMessage[],
    call: PreparedCall,
    run: (attempt: number) => Promise<T>,
  ): Promise<T> {
    return withRetries(run, this.retry, {
      signal: call.options.signal,
      onAbort: () =>
        toLMError(new Error('aborted'), {
          ...this.failureContext(call),
          aborted: true,
          timedOut: false,
        }) as Error,
      onRetry: ({ attempt, delayMs, error }) => {
        this.accounting.retry();
        if (error.status === 429 && error.retryAfterMs) this.scheduler.pauseFor(delayMs);
        if (this.events.has('retry'))
          this.events.emit('retry', { model: this.model, attempt, delayMs, error });
      },
    });
  }

  private beforeRequest(messages: ChatMessage[], call: PreparedCall, attempt: number): void {
    this.accounting.request();
    if (this.events.has('request')) {
      this.events.emit('request', {
        model: this.model,
        messages,
        options: call.options,
        attempt,
        cacheKey: call.key,
      });
    }
  }

  private body(messages: ChatMessage[], call: PreparedCall): Record<string, unknown> {
    return { model: this.endpoint.wireModel, messages, ...call.parameters };
  }

  private responseOf(
    completions: LMResponse['completions'],
    usage: Usage,
    headers: Headers,
    call: PreparedCall,
  ): LMResponse {
    const cost = costFromHeaders(headers) ?? costOf(this.price ?? this.model, usage);
    return {
      completions,
      usage,
      cost,
      model: this.endpoint.wireModel,
      cached: false,
      durationMs: performance.now() - call.started,
    };
  }

  private async remember(response: LMResponse, messages: ChatMessage[], call: PreparedCall): Promise<void> {
    this.accounting.paid(response.usage, response.cost);
    if (call.key !== undefined) await this.cache.set(call.key, response, this.endpoint.wireModel);
    this.record(messages, call, response);
  }

  private record(messages: ChatMessage[], call: PreparedCall, response?: LMResponse, error?: string): void {
    const entry = {
      at: Date.now(),
      model: this.model,
      messages,
      parameters: call.parameters,
      response,
      error,
    };
    this.history.push(entry);
    globalHistory.push(entry);
    if (response && this.events.has('response')) {
      this.events.emit('response', { model: this.model, messages, response });
    }
  }

  private failed(error: unknown, messages: ChatMessage[], call: PreparedCall): void {
    this.accounting.failed();
    this.record(messages, call, undefined, error instanceof Error ? error.message : String(error));
    if (this.events.has('error')) this.events.emit('error', { model: this.model, messages, error });
  }

  private failure(error: unknown, attempt: AttemptSignal, call: PreparedCall): unknown {
    return toLMError(error, {
      ...this.failureContext(call),
      timedOut: attempt.timedOut,
      aborted: attempt.callerAborted,
    });
  }

  private failureContext(call: PreparedCall) {
    return {
      model: this.endpoint.wireModel,
      endpoint: this.endpoint.baseURL,
      apiKey: this.endpoint.apiKey,
      timeoutMs: call.options.timeoutMs,
    };
  }

  private openai(): OpenAI {
    this.client ??= createOpenAIClient(this.endpoint, `LM "${this.model}"`);
    return this.client;
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key in value) if (value[key] !== undefined) out[key] = value[key];
  return out;
}
