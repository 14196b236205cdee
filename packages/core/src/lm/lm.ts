/**
 * `LM`: the one client Sigil programs use to reach any OpenAI-compatible endpoint (OpenAI, a LiteLLM proxy,
 * a local server), with caching, scheduling, retries, accounting and history around the `openai` package.
 */
import { Accounting, type LMStats } from './accounting';
import type { ResponseCache } from './cache';
import { CallControl } from './call-control';
import { ChatTransport, type PreparedCall } from './chat-transport';
import { type ResolvedEndpoint, resolveEndpoint } from './endpoint';
import { CacheMissError, LMAbortedError } from './errors';
import { type LMEventName, LMEvents, type LMListener } from './events';
import { CallHistory, type InspectOptions, inspectEntries } from './history';
import { ABANDONED, type DrainResult, InFlightWork, SharedRequest } from './in-flight';
import { cacheFrom, historyLimits, type LMDefaults, type LMOptions, type LMStreamEvent } from './lm-options';
import { validateTransportOptions } from './http/transport-options';
import { checkNumber, COUNT, DURATION_MS } from '../errors/option-checks';
import { wireParameters } from './openai-wire';
import { checkCallOptions, checkLMOptions } from './option-rules';
import { mergeCallOptions, setsParameters } from './call-options';
import { recordCall } from './call-record';
import { chatRequestKey } from './request-key';
import { Scheduler } from './scheduler';
import type { CallOptions, ChatMessage, LanguageModel, LMResponse, Usage } from './types';
import { type BatchPort, batchPortOf } from './batch/batch-port';
import type { ModelPrice } from './prices';
import type OpenAI from 'openai';

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
  readonly supportsFunctionCalling: boolean;
  readonly cache: ResponseCache<LMResponse>;
  readonly scheduler: Scheduler;
  readonly history: CallHistory;
  private readonly endpoint: ResolvedEndpoint;
  private readonly defaults: LMDefaults;
  /** The wire parameters of a call that sets none of its own, made once (frozen: calls share it). */
  private defaultParameters?: Readonly<Record<string, unknown>>;
  private readonly events = new LMEvents();
  /** The cache key of each response handed out, so `forget` can drop it. */
  private readonly cacheKeys = new WeakMap<LMResponse, string>();
  private readonly accounting = new Accounting();
  private readonly transport: ChatTransport;
  /** Identical keyed calls in flight, sharing one request. */
  private readonly shared = new Map<string, SharedRequest<LMResponse>>();
  private readonly work = new InFlightWork();
  private closed = false;
  private readonly price?: ModelPrice;
  /** What this LM was made with, for `copy` (never printed: it may hold the key). */
  private readonly options: LMOptions;

  constructor(model: string, options: LMOptions = {}) {
    checkLMOptions(options, `LM "${model}"`);
    this.model = model;
    this.options = options;
    validateTransportOptions(options, `LM "${model}"`);
    this.endpoint = resolveEndpoint(model, options);
    this.supportsStructuredOutputs = options.supportsStructuredOutputs ?? true;
    this.supportsFunctionCalling = options.supportsFunctionCalling ?? true;
    this.defaults = {
      temperature: options.temperature,
      maxTokens: options.maxTokens,
      n: options.n,
      stop: options.stop,
      seed: options.seed,
      topP: options.topP,
      extraBody: options.extraBody,
      timeoutMs: options.timeoutMs,
      deadlineMs: options.deadlineMs,
      priority: options.priority,
    };
    this.cache = cacheFrom(options.cache);
    this.scheduler = options.scheduler ?? new Scheduler(options);
    this.history = new CallHistory(historyLimits(options));
    this.price = options.price;
    this.transport = new ChatTransport({
      model,
      endpoint: this.endpoint,
      retry: options.retry ?? {},
      scheduler: this.scheduler,
      events: this.events,
      accounting: this.accounting,
      price: options.price,
      transport: { transport: options.transport, connections: options.connections },
    });
  }

  /** The model name sent on the wire (`openai/` dropped against OpenAI itself). */
  get wireModel(): string {
    return this.endpoint.wireModel;
  }

  /** The endpoint's base URL. */
  get baseURL(): string {
    return this.endpoint.baseURL;
  }

  /**
   * A new LM with the same endpoint, key and defaults and `overrides` applied — DSPy's `lm.copy(model=…)`,
   * e.g. for a fine-tuned model. It shares this LM's cache and scheduler (the endpoint's rate limits)
   * unless `overrides` gives its own.
   * @example const tuned = lm.copy({ model: 'openai/ft:gpt-4o-mini-2024-07-18:acme::abc123' });
   */
  copy(overrides: LMOptions & { model?: string } = {}): LM {
    const { model = this.model, ...options } = overrides;
    return new LM(model, { ...this.options, cache: this.cache, scheduler: this.scheduler, ...options });
  }

  /**
   * The `openai` SDK client of this LM's endpoint (base URL, key, headers, transport), for the APIs Sigil
   * does not wrap — files, fine-tuning. It makes no retries of its own: `client.withOptions({ maxRetries })`.
   */
  openAIClient(): OpenAI {
    return this.transport.openai();
  }

  /** What `JSON.stringify(lm)` writes: the model and endpoint, never the key or headers. */
  toJSON(): Record<string, unknown> {
    return {
      model: this.model,
      baseURL: this.endpoint.baseURL,
      cache: this.cache.mode,
      inFlight: this.inFlight,
    };
  }

  /** What `console.log(lm)` and `util.inspect(lm)` print: the same as `toJSON`. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    const { model, baseURL, cache, inFlight } = this.toJSON();
    return `LM { model: '${model}', baseURL: '${baseURL}', cache: '${cache}', inFlight: ${inFlight} }`;
  }

  /** Requests in flight (identical calls sharing one request count once). */
  get inFlight(): number {
    return this.work.size;
  }

  /**
   * Sends chat messages and returns the completions; cached, scheduled and retried. Identical calls made
   * while one is in flight share its request (and pay once); a caller whose `signal` aborts stops waiting
   * alone, and the request itself stops when every caller sharing it has aborted.
   */
  async call(messages: ChatMessage[], options: CallOptions = {}): Promise<LMResponse> {
    const call = this.prepare(messages, options);
    const key = call.key;
    if (key === undefined) {
      this.refuseInReplay(call);
      return this.tracked(call, (tracked) => this.fetchAndStore(messages, tracked));
    }
    const remembered = this.cache.peek(key);
    if (remembered) return this.servedFromCache(remembered, messages, call);
    const abortedError = () => {
      const error = this.transport.abortedError(call);
      this.failed(error, messages, call);
      return error;
    };
    const pending = this.shared.get(key);
    if (pending)
      return this.servedFromCache(await pending.join(options.signal, abortedError), messages, call);
    if (options.signal?.aborted) throw abortedError();
    const forget = (request: SharedRequest<LMResponse>) => {
      if (this.shared.get(key) === request) this.shared.delete(key);
    };
    const request = new SharedRequest<LMResponse>(forget);
    request.start((control) => {
      // The shared request is not any one caller's: its control stops it, the callers' signals do not.
      const shared: PreparedCall = { ...call, options: { ...call.options, signal: undefined }, control };
      const done = this.loadOrFetch(messages, shared, key);
      this.work.add(control, done);
      done.then(
        () => forget(request),
        () => forget(request),
      );
      return done;
    });
    this.shared.set(key, request);
    return request.join(options.signal, abortedError);
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
    const { tracked, finished } = this.track(call);
    try {
      const response = yield* this.transport.stream(messages, tracked);
      await this.remember(response, messages, tracked);
      yield { type: 'done', response };
    } catch (error) {
      this.failed(error, messages, tracked);
      throw error;
    } finally {
      finished();
    }
  }

  /**
   * Waits for the calls in flight to finish. After `timeoutMs` (default: no limit) the ones still running
   * are aborted and fail with `LMAbortedError`; the result says which way it went.
   * @example const { drained, aborted } = await lm.drain(10_000);
   */
  drain(timeoutMs = Infinity): Promise<DrainResult> {
    checkNumber(timeoutMs, 'timeoutMs', DURATION_MS, `LM "${this.model}".drain()`);
    return this.work.drain(
      timeoutMs,
      () =>
        new LMAbortedError(
          `LM "${this.model}" at ${this.endpoint.baseURL}: call aborted by lm.drain(), which waited ` +
            `${timeoutMs} ms for it. Give drain() a longer timeout to let slow calls finish.`,
          { model: this.endpoint.wireModel, endpoint: this.endpoint.baseURL },
        ),
    );
  }

  /**
   * Drains (see `drain`), then waits for the cache's pending disk writes. Calls made afterwards fail with
   * `LMAbortedError`. Call it once on shutdown.
   * @example process.on('SIGTERM', () => lm.close(10_000));
   */
  async close(timeoutMs = Infinity): Promise<DrainResult> {
    this.closed = true;
    const result = await this.drain(timeoutMs);
    await this.cache.flush();
    return result;
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends LMEventName>(name: E, listener: LMListener<E>): () => void {
    this.events.on(name, listener);
    return () => this.events.off(name, listener);
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
    checkNumber(n, 'n', COUNT, `LM "${this.model}".inspectHistory()`);
    return inspectEntries(this.history, n, options);
  }

  private prepare(messages: ChatMessage[], options: CallOptions): PreparedCall {
    if (this.closed) {
      throw new LMAbortedError(
        `LM "${this.model}" is closed (lm.close() was called); create a new LM to make further calls.`,
        { model: this.endpoint.wireModel, endpoint: this.endpoint.baseURL },
      );
    }
    checkCallOptions(options, `LM "${this.model}" call`);
    const merged = mergeCallOptions(this.defaults, options);
    const parameters = setsParameters(options)
      ? wireParameters(this.endpoint.wireModel, merged)
      : (this.defaultParameters ??= Object.freeze(wireParameters(this.endpoint.wireModel, this.defaults)));
    const useCache = this.cache.readable && options.cache !== false;
    const key = useCache ? this.cacheKey(messages, parameters, merged.rolloutId) : undefined;
    return { options: merged, parameters, key, started: performance.now() };
  }

  /** A call's control, following its caller's signal and registered for `drain`. */
  private track(call: PreparedCall): { tracked: PreparedCall; finished: () => void } {
    const control = new CallControl(call.options.signal);
    const finished = this.work.begin(control);
    return {
      tracked: { ...call, control },
      finished: () => {
        control.dispose();
        finished();
      },
    };
  }

  private async tracked<T>(call: PreparedCall, run: (tracked: PreparedCall) => Promise<T>): Promise<T> {
    const { tracked, finished } = this.track(call);
    try {
      return await run(tracked);
    } finally {
      finished();
    }
  }

  private cacheKey(messages: ChatMessage[], parameters: Record<string, unknown>, rolloutId: unknown): string {
    return chatRequestKey(this.endpoint.baseURL, this.endpoint.wireModel, messages, parameters, rolloutId);
  }

  private refuseInReplay(call: PreparedCall): void {
    if (this.cache.mode !== 'replay') return;
    const digest = call.key ?? this.cacheKey([], call.parameters, call.options.rolloutId);
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
    if (call.key !== undefined) this.cacheKeys.set(response, call.key);
    return response;
  }

  /**
   * This LM as a provider batch sees it (`ProviderBatcher`): requests as Batch API lines keyed by their
   * cache key, results taken back through the cache, accounting and history at `discount` × the price.
   */
  batchPort(discount = 0.5): BatchPort {
    return batchPortOf(
      {
        model: this.model,
        endpoint: this.endpoint,
        price: this.price,
        prepare: (messages, options) => this.prepare(messages, options),
        keyOf: (messages, call) =>
          call.key ?? this.cacheKey(messages, call.parameters, call.options.rolloutId),
        isCached: async (key) => (await this.cache.get(key)) !== undefined,
        remember: (response, messages, call) => this.remember(response, messages, call),
      },
      discount,
    );
  }

  /**
   * Drops a response this LM returned from its cache (memory and disk), so the same request reaches the
   * endpoint again: a predictor forgets a reply it could not use, which must not be replayed as good.
   */
  async forget(response: LMResponse): Promise<void> {
    const key = this.cacheKeys.get(response);
    if (key === undefined) return;
    this.cacheKeys.delete(response);
    await this.cache.delete(key);
  }

  private async loadOrFetch(messages: ChatMessage[], call: PreparedCall, key: string): Promise<LMResponse> {
    const stored = await this.cache.loadFromDisk(key);
    if (stored) return this.servedFromCache(stored, messages, call);
    this.refuseInReplay(call);
    // A store shared by processes lets one of them pay for a request the others ask at the same time.
    const claim = await this.cache.claim(key, call.control?.signal);
    if (claim && 'value' in claim) return this.servedFromCache(claim.value, messages, call);
    try {
      return await this.fetchAndStore(messages, call);
    } finally {
      await claim?.release();
    }
  }

  private async fetchAndStore(messages: ChatMessage[], call: PreparedCall): Promise<LMResponse> {
    try {
      const response = await this.transport.complete(messages, call);
      await this.remember(response, messages, call);
      return response;
    } catch (error) {
      // A shared request whose callers all aborted has each of them recorded already.
      if (call.control?.reason !== ABANDONED) this.failed(error, messages, call);
      throw error;
    }
  }

  private async remember(response: LMResponse, messages: ChatMessage[], call: PreparedCall): Promise<void> {
    this.accounting.paid(response.usage, response.cost);
    if (call.key !== undefined) {
      await this.cache.set(call.key, response, this.endpoint.wireModel);
      this.cacheKeys.set(response, call.key);
    }
    this.record(messages, call, response);
  }

  private record(messages: ChatMessage[], call: PreparedCall, response?: LMResponse, error?: string): void {
    recordCall(this.history, this.events, {
      model: this.model,
      messages,
      parameters: call.parameters,
      response,
      error,
    });
  }

  private failed(error: unknown, messages: ChatMessage[], call: PreparedCall): void {
    this.accounting.failed();
    this.record(messages, call, undefined, error instanceof Error ? error.message : String(error));
    if (this.events.has('error')) this.events.emit('error', { model: this.model, messages, error });
  }
}
