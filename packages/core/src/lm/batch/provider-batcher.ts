/**
 * Provider batches: LM calls sent through OpenAI's Batch API (`/v1/files` + `/v1/batches`, which LiteLLM
 * proxies) at about half the price. A middleware gathers the calls made within a short window into one
 * batch, uploads it, polls it, and answers each call from the batch's output — through the LM's own cache,
 * accounting and history, so parsing and retries above it are unchanged. Submitted batches are journaled:
 * a run restarted with the same journal waits for them instead of submitting the requests again.
 */
import type { WireCompletion } from '../completion-reply';
import type { LMMiddleware } from '../middleware';
import type { LanguageModel, LMResponse } from '../types';
import { BatchError } from './batch-error';
import { BatchJournal } from './batch-journal';
import type { BatchPort, BatchRequest } from './batch-port';

/** How far a batch has got, as the provider reports it. */
export interface BatchProgress {
  readonly batchId: string;
  /** `validating`, `in_progress`, `finalizing`, `completed`, `failed`, `expired`, `cancelled`, … */
  readonly status: string;
  readonly total: number;
  readonly completed: number;
  readonly failed: number;
}

/** Options of a `ProviderBatcher`. */
export interface ProviderBatchOptions {
  /** A file recording submitted batches, so a restarted run resumes them (default: none). */
  journal?: string;
  /** Between status reads of a batch, in ms (default 30 000). */
  pollIntervalMs?: number;
  /** A batch is sent this long after the last call joined it, in ms (default 200). */
  windowMs?: number;
  /** At most this many requests per batch (default 50 000, OpenAI's limit). */
  maxRequests?: number;
  /** The cost of a batched call as a share of its list price (default 0.5, OpenAI's batch discount). */
  discount?: number;
  /** Called on every status read. */
  onProgress?(progress: BatchProgress): void;
}

interface Waiter {
  readonly request: BatchRequest;
  resolve(response: LMResponse): void;
  reject(error: unknown): void;
}

interface Group {
  readonly port: BatchPort;
  waiters: Waiter[];
  timer?: NodeJS.Timeout;
}

const DONE = new Set(['completed', 'failed', 'expired', 'cancelled']);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends LM calls through the provider's Batch API. Use its `middleware` around a run (`Evaluate`'s and
 * `batch()`'s `provider` option do), with an `LM` (other LMs are called as usual).
 * @example const batcher = new ProviderBatcher({ journal: '.sigil/batches.jsonl', pollIntervalMs: 60_000 });
 * await new Evaluate({ devset, metric, batch: batcher }).run(program);
 */
export class ProviderBatcher {
  readonly middleware: LMMiddleware;
  private readonly journal: BatchJournal;
  private readonly ports = new WeakMap<LanguageModel, BatchPort>();
  private readonly groups = new Map<string, Group>();
  /** Waiters by batch id, for batches being polled. */
  private readonly byBatch = new Map<string, Waiter[]>();
  private readonly polling = new Set<string>();
  private readonly options: Required<Omit<ProviderBatchOptions, 'journal' | 'onProgress'>> &
    Pick<ProviderBatchOptions, 'onProgress'>;

  constructor(options: ProviderBatchOptions = {}) {
    this.options = {
      pollIntervalMs: options.pollIntervalMs ?? 30_000,
      windowMs: options.windowMs ?? 200,
      maxRequests: options.maxRequests ?? 50_000,
      discount: options.discount ?? 0.5,
      onProgress: options.onProgress,
    };
    this.journal = new BatchJournal(options.journal);
    this.middleware = {
      name: 'provider-batch',
      call: async (next, messages, callOptions, info) => {
        const port = this.portOf(info.lm);
        if (!port) return next(messages, callOptions);
        const request = await port.request(messages, callOptions);
        if (request.cached) return next(messages, callOptions);
        return new Promise<LMResponse>((resolve, reject) => {
          const waiter: Waiter = { request, resolve, reject };
          const submitted = this.journal.batchOf(request.customId);
          if (submitted) this.watch(submitted, port, [waiter]);
          else this.enqueue(port, waiter);
        });
      },
    };
  }

  private portOf(lm: LanguageModel): BatchPort | undefined {
    const make = (lm as { batchPort?: (discount: number) => BatchPort }).batchPort;
    if (typeof make !== 'function') return undefined;
    let port = this.ports.get(lm);
    if (!port) {
      port = make.call(lm, this.options.discount);
      this.ports.set(lm, port);
    }
    return port;
  }

  private enqueue(port: BatchPort, waiter: Waiter): void {
    const key = `${port.endpoint}\u0000${port.model}`;
    let group = this.groups.get(key);
    if (!group) {
      group = { port, waiters: [] };
      this.groups.set(key, group);
    }
    group.waiters.push(waiter);
    if (group.timer) clearTimeout(group.timer);
    if (group.waiters.length >= this.options.maxRequests) this.flush(key);
    else group.timer = setTimeout(() => this.flush(key), this.options.windowMs);
  }

  private flush(key: string): void {
    const group = this.groups.get(key);
    if (!group || group.waiters.length === 0) return;
    if (group.timer) clearTimeout(group.timer);
    this.groups.delete(key);
    const { port, waiters } = group;
    this.submit(port, waiters).catch((error: unknown) => {
      const failure =
        error instanceof BatchError
          ? error
          : new BatchError(
              `Provider batch for ${port.model} at ${port.endpoint} could not be submitted: ${messageOf(error)}. ` +
                'Check that the endpoint serves /v1/files and /v1/batches (OpenAI, or a LiteLLM proxy).',
              { cause: error },
            );
      for (const waiter of waiters) waiter.reject(failure);
    });
  }

  private async submit(port: BatchPort, waiters: Waiter[]): Promise<void> {
    const lines = new Map<string, string>();
    for (const { request } of waiters) {
      if (lines.has(request.customId)) continue;
      lines.set(
        request.customId,
        JSON.stringify({
          custom_id: request.customId,
          method: 'POST',
          url: '/v1/chat/completions',
          body: request.body,
        }),
      );
    }
    const client = port.client();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { toFile } = require('openai') as typeof import('openai');
    const text = [...lines.values()].join('\n') + '\n';
    const file = await client.files.create({
      file: await toFile(Buffer.from(text, 'utf8'), 'sigil-batch.jsonl', { type: 'application/jsonl' }),
      purpose: 'batch',
    });
    const batch = await client.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
      metadata: { source: 'sigil' },
    });
    this.journal.submitted(batch.id, port.endpoint, port.model, [...lines.keys()]);
    this.watch(batch.id, port, waiters);
  }

  /** Adds waiters to a batch and polls it (once per batch) until it ends. */
  private watch(batchId: string, port: BatchPort, waiters: Waiter[]): void {
    const list = this.byBatch.get(batchId) ?? [];
    list.push(...waiters);
    this.byBatch.set(batchId, list);
    if (this.polling.has(batchId)) return;
    this.polling.add(batchId);
    this.poll(batchId, port)
      .catch((error: unknown) => {
        const failure =
          error instanceof BatchError
            ? error
            : new BatchError(`Provider batch ${batchId}: reading it failed: ${messageOf(error)}.`, {
                batchId,
                cause: error,
              });
        for (const waiter of this.byBatch.get(batchId) ?? []) waiter.reject(failure);
      })
      .finally(() => {
        this.polling.delete(batchId);
        this.byBatch.delete(batchId);
      });
  }

  private async poll(batchId: string, port: BatchPort): Promise<void> {
    const client = port.client();
    for (;;) {
      const batch = await client.batches.retrieve(batchId);
      const counts = batch.request_counts ?? { total: 0, completed: 0, failed: 0 };
      this.options.onProgress?.({ batchId, status: batch.status, ...counts });
      if (DONE.has(batch.status)) {
        this.journal.finished(batchId, batch.status);
        if (batch.status !== 'completed') {
          const code = batch.status === 'expired' ? 'LM_BATCH_EXPIRED' : 'LM_BATCH_FAILED';
          const errors = batch.errors?.data?.map((e) => e.message).join('; ');
          throw new BatchError(
            `Provider batch ${batchId} ended ${batch.status}${errors ? `: ${errors}` : ''}; its requests are sent ` +
              'again in a new batch when the run is repeated.',
            { batchId, code },
          );
        }
        const text = async (id: string | null | undefined) =>
          id ? await (await client.files.content(id)).text() : '';
        await this.answer(
          batchId,
          port,
          (await text(batch.output_file_id)) + (await text(batch.error_file_id)),
        );
        return;
      }
      await sleep(this.options.pollIntervalMs);
    }
  }

  /** Answers the batch's waiters from its output lines. */
  private async answer(batchId: string, port: BatchPort, output: string): Promise<void> {
    const results = new Map<string, { status: number; body: unknown; error?: string }>();
    for (const line of output.split('\n')) {
      if (!line.trim()) continue;
      const item = JSON.parse(line) as {
        custom_id: string;
        response?: { status_code: number; body: unknown } | null;
        error?: { message?: string } | null;
      };
      results.set(item.custom_id, {
        status: item.response?.status_code ?? 0,
        body: item.response?.body,
        error: item.error?.message ?? errorMessageOf(item.response?.body),
      });
    }
    const answered = new Map<string, Promise<LMResponse>>();
    for (const waiter of this.byBatch.get(batchId) ?? []) {
      const id = waiter.request.customId;
      const result = results.get(id);
      if (!result || result.status !== 200) {
        waiter.reject(
          new BatchError(
            `Provider batch ${batchId}: request ${id.slice(0, 16)} ${result ? `failed (${result.status}): ${result.error ?? 'no message'}` : 'has no result in the output'}.`,
            { batchId, status: result?.status, code: 'LM_BATCH_REQUEST_FAILED' },
          ),
        );
        continue;
      }
      let response = answered.get(id);
      if (!response) {
        response = port.accept(waiter.request, result.body as WireCompletion);
        answered.set(id, response);
      }
      response.then(waiter.resolve, waiter.reject);
    }
    await Promise.allSettled(answered.values());
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function errorMessageOf(body: unknown): string | undefined {
  const message = (body as { error?: { message?: unknown } } | undefined)?.error?.message;
  return typeof message === 'string' ? message : undefined;
}
