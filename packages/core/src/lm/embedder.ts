/**
 * `Embedder`: text embeddings through the same endpoint's `/v1/embeddings`, batched, cached per text,
 * scheduled and retried like chat calls. KNN demo selection and retrieval build on it.
 */
import type OpenAI from 'openai';
import { AttemptSignal } from './attempt-signal';
import { CallControl } from './call-control';
import { type CacheMode, type CacheOptions, ResponseCache } from './cache';
import { type EndpointOptions, type ResolvedEndpoint, resolveEndpoint } from './endpoint';
import { type FailureContext, toLMError } from './error-mapping';
import { CacheMissError } from './errors';
import { type TransportOptions, validateTransportOptions } from './http/transport-options';
import { createOpenAIClient } from './openai-client';
import { costOf, type ModelPrice } from './prices';
import { sha256 } from './request-key';
import { type RetryOptions, withRetries } from './retry';
import { Scheduler, type SchedulerOptions } from './scheduler';
import type { Priority } from './types';

import { checkNumbers, LIMIT_MS, POSITIVE_COUNT } from '../errors/option-checks';
import { RETRY_RULES, SCHEDULER_RULES } from './option-rules';

const EMBEDDER_RULES = { batchSize: POSITIVE_COUNT, dimensions: POSITIVE_COUNT, timeoutMs: LIMIT_MS };

/** Everything `new Embedder(model, options)` accepts. */
export interface EmbedderOptions extends EndpointOptions, TransportOptions, SchedulerOptions {
  /** Texts per request (default 128). */
  batchSize?: number;
  /** Output dimensions, for models that support shortening (text-embedding-3-*). */
  dimensions?: number;
  /** As for `LM`: a mode, settings, a shared cache, or `false`. */
  cache?: CacheMode | CacheOptions | ResponseCache<StoredEmbedding> | false;
  scheduler?: Scheduler;
  retry?: RetryOptions;
  /** Per-request timeout (default 120 s). */
  timeoutMs?: number;
  price?: ModelPrice;
}

/** Per-call options of `embed`. */
export interface EmbedOptions {
  signal?: AbortSignal;
  priority?: Priority;
}

/** What the cache holds per text. */
export interface StoredEmbedding {
  embedding: number[];
}

/** Totals of one Embedder. */
export interface EmbedderStats {
  texts: number;
  cacheHits: number;
  requests: number;
  retries: number;
  promptTokens: number;
  cost: number;
}

/**
 * Embeds texts with an OpenAI-compatible embeddings endpoint.
 * @example
 * const embedder = new Embedder('openai/text-embedding-3-small');
 * const [a, b] = await embedder.embed(['first text', 'second text']);
 */
export class Embedder {
  readonly model: string;
  readonly cache: ResponseCache<StoredEmbedding>;
  readonly scheduler: Scheduler;
  private readonly endpoint: ResolvedEndpoint;
  private readonly options: EmbedderOptions;
  private readonly totals: EmbedderStats = {
    texts: 0,
    cacheHits: 0,
    requests: 0,
    retries: 0,
    promptTokens: 0,
    cost: 0,
  };
  private client?: OpenAI;

  constructor(model: string, options: EmbedderOptions = {}) {
    this.model = model;
    checkNumbers(options, EMBEDDER_RULES, `Embedder "${model}"`);
    checkNumbers(options.retry, RETRY_RULES, `Embedder "${model}"`, 'retry.');
    checkNumbers(options, SCHEDULER_RULES, `Embedder "${model}"`);
    this.options = options;
    validateTransportOptions(options, `Embedder "${model}"`);
    this.endpoint = resolveEndpoint(model, options);
    const cache = options.cache;
    this.cache =
      cache instanceof ResponseCache
        ? cache
        : new ResponseCache<StoredEmbedding>(
            'embeddings',
            cache === false ? { mode: 'off' } : typeof cache === 'string' ? { mode: cache } : cache,
          );
    this.scheduler = options.scheduler ?? new Scheduler(options);
  }

  /** What `JSON.stringify(embedder)` writes: the model and endpoint, never the key or headers. */
  toJSON(): Record<string, unknown> {
    return { model: this.model, baseURL: this.endpoint.baseURL, cache: this.cache.mode };
  }

  /** What `console.log(embedder)` prints: the same as `toJSON`. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Embedder { model: '${this.model}', baseURL: '${this.endpoint.baseURL}', cache: '${this.cache.mode}' }`;
  }

  /** One vector per text, in input order. */
  async embed(texts: string[], options: EmbedOptions = {}): Promise<number[][]> {
    const vectors = new Array<number[] | undefined>(texts.length);
    const missing = new Map<string, { key: string; positions: number[] }>();
    for (const [position, text] of texts.entries()) {
      const known = missing.get(text);
      if (known) {
        known.positions.push(position);
        continue;
      }
      const key = this.cache.readable ? this.keyOf(text) : '';
      const stored = this.cache.readable ? await this.cache.get(key) : undefined;
      if (stored) {
        vectors[position] = stored.embedding;
        this.totals.cacheHits++;
      } else {
        missing.set(text, { key, positions: [position] });
      }
    }
    this.totals.texts += texts.length;
    const pending = [...missing.entries()];
    if (pending.length > 0 && this.cache.mode === 'replay') {
      const digest = pending[0][1].key;
      throw new CacheMissError(
        `Embedder "${this.model}": ${pending.length} text(s) not in the cache (first: ${digest.slice(0, 16)}) and the ` +
          `cache is in replay mode, so the network is not used. Record them first with cache mode 'read-write'.`,
        { model: this.endpoint.wireModel, endpoint: this.endpoint.baseURL, digest },
      );
    }
    const batchSize = Math.max(1, this.options.batchSize ?? 128);
    const batches: (typeof pending)[] = [];
    for (let at = 0; at < pending.length; at += batchSize) batches.push(pending.slice(at, at + batchSize));
    await Promise.all(
      batches.map(async (batch) => {
        const embeddings = await this.request(
          batch.map(([text]) => text),
          options,
        );
        await Promise.all(
          batch.map(async ([, { key, positions }], index) => {
            for (const position of positions) vectors[position] = embeddings[index];
            if (this.cache.readable)
              await this.cache.set(key, { embedding: embeddings[index] }, this.endpoint.wireModel);
          }),
        );
      }),
    );
    return vectors as number[][];
  }

  /** The vector of one text. */
  async embedOne(text: string, options: EmbedOptions = {}): Promise<number[]> {
    const [vector] = await this.embed([text], options);
    return vector;
  }

  /** Texts embedded, cache hits, requests, tokens and cost so far. */
  stats(): EmbedderStats {
    return { ...this.totals };
  }

  private keyOf(text: string): string {
    return sha256(
      `sigil-embedding-v2\u0000${this.endpoint.baseURL}\u0000${this.endpoint.wireModel}\u0000${this.options.dimensions ?? ''}\u0000${text}`,
    );
  }

  private async request(input: string[], options: EmbedOptions): Promise<number[][]> {
    const context: Omit<FailureContext, 'timedOut' | 'aborted'> = {
      model: this.endpoint.wireModel,
      endpoint: this.endpoint.baseURL,
      apiKey: this.endpoint.apiKey,
      timeoutMs: this.options.timeoutMs ?? 120_000,
    };
    const attempt = async (): Promise<number[][]> => {
      let lease;
      try {
        lease = await this.scheduler.acquire({
          priority: options.priority,
          tokens: Math.ceil(input.reduce((sum, text) => sum + text.length, 0) / 4),
          signal: options.signal,
        });
      } catch (error) {
        throw toLMError(error, { ...context, aborted: true, timedOut: false });
      }
      const control = new CallControl(options.signal);
      const signal = new AttemptSignal(control, context.timeoutMs);
      this.totals.requests++;
      try {
        const response = await this.openai().embeddings.create(
          {
            model: this.endpoint.wireModel,
            input,
            dimensions: this.options.dimensions,
            encoding_format: 'float',
          },
          { signal: signal.signal },
        );
        const tokens = response.usage?.prompt_tokens ?? 0;
        this.totals.promptTokens += tokens;
        this.totals.cost += costOf(this.options.price ?? this.model, {
          promptTokens: tokens,
          completionTokens: 0,
          cachedTokens: 0,
          totalTokens: tokens,
        });
        lease.release(tokens);
        return [...response.data].sort((a, b) => a.index - b.index).map((item) => item.embedding);
      } catch (error) {
        lease.release();
        throw toLMError(error, { ...context, timedOut: signal.timedOut, aborted: signal.callerAborted });
      } finally {
        signal.dispose();
        control.dispose();
      }
    };
    return withRetries(attempt, this.options.retry ?? {}, {
      signal: options.signal,
      onRetry: () => this.totals.retries++,
      onAbort: () => toLMError(new Error('aborted'), { ...context, aborted: true, timedOut: false }) as Error,
    });
  }

  private openai(): OpenAI {
    this.client ??= createOpenAIClient(this.endpoint, `Embedder "${this.model}"`, this.options);
    return this.client;
  }
}
