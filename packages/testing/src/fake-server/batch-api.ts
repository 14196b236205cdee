/**
 * OpenAI's Batch API on the fake server (files go through the server's one `FakeFiles` store): `POST /v1/batches`, `GET /v1/batches/:id`, `POST
 * /v1/batches/:id/cancel`. A batch's chat requests are answered by the server's reply script (each recorded
 * like a chat request, with its `batchId`); the batch stays `in_progress` for `pollsUntilDone` status reads
 * (default 1), then completes with an output file (and an error file for requests that failed).
 */
import type { FakeFiles } from './files';
import { errorAnswer, type FakeRoutes, type RouteAnswer, type RouteCall } from './routes';
import type { BatchApiOptions, FakeError, FakeReply, RecordedRequest } from './types';
import { chatCompletion, errorBody } from './wire';

export type { BatchApiOptions } from './types';

/** How the batch API answers the chat requests inside a batch. */
export type BatchReplier = (record: RecordedRequest) => Promise<FakeReply | FakeError>;

interface StoredBatch {
  object: Record<string, unknown>;
  lines: string[];
  polls: number;
}

/** `POST /batches`, `GET /batches/{id}`, `POST /batches/{id}/cancel`, over the server's one file store. */
export class FakeBatchApi implements FakeRoutes {
  readonly batches = new Map<string, StoredBatch>();
  private counter = 0;

  constructor(
    private readonly files: FakeFiles,
    private readonly reply: BatchReplier,
    private readonly record: (request: RecordedRequest) => void,
    readonly options: BatchApiOptions = {},
  ) {}

  /** Answers a call to one of its routes; undefined for any other route. */
  async answer(call: RouteCall): Promise<RouteAnswer | undefined> {
    const { method, route } = call;
    const parts = route.split('/').filter(Boolean);
    if (parts[0] !== 'batches') return undefined;
    if (method === 'POST' && parts.length === 1) return this.create(call.record.body);
    const batch = this.batches.get(parts[1] ?? '');
    if (!batch) return errorAnswer(404, `No such batch: ${parts[1]}`);
    if (method === 'GET' && parts.length === 2) return { status: 200, body: await this.progress(batch) };
    if (method === 'POST' && parts[2] === 'cancel') {
      batch.object.status = 'cancelled';
      return { status: 200, body: batch.object };
    }
    return errorAnswer(404, `Unknown route ${method} /v1${route}`);
  }

  private nextId(prefix: string): string {
    this.counter++;
    return `${prefix}-fake-${this.counter}`;
  }

  private create(body: unknown): RouteAnswer {
    const request = (body ?? {}) as {
      input_file_id?: string;
      endpoint?: string;
      completion_window?: string;
      metadata?: unknown;
    };
    const input = this.files.get(request.input_file_id ?? '');
    if (!input) return errorAnswer(400, `Unknown input_file_id ${JSON.stringify(request.input_file_id)}.`);
    if (request.endpoint !== '/v1/chat/completions')
      return errorAnswer(400, 'Only /v1/chat/completions batches are supported.');
    const lines = input.bytes
      .toString('utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
    const id = this.nextId('batch');
    const object = {
      id,
      object: 'batch',
      endpoint: request.endpoint,
      input_file_id: input.id,
      completion_window: request.completion_window ?? '24h',
      status: 'validating',
      output_file_id: null,
      error_file_id: null,
      created_at: Math.floor(Date.now() / 1000),
      metadata: request.metadata ?? null,
      request_counts: { total: lines.length, completed: 0, failed: 0 },
    };
    this.batches.set(id, { object, lines, polls: 0 });
    return { status: 200, body: object };
  }

  private async progress(batch: StoredBatch): Promise<Record<string, unknown>> {
    const object = batch.object;
    if (object.status !== 'validating' && object.status !== 'in_progress') return object;
    batch.polls++;
    if (batch.polls <= (this.options.pollsUntilDone ?? 1)) {
      object.status = 'in_progress';
      return object;
    }
    const outcome = this.options.outcome ?? 'completed';
    if (outcome !== 'completed') {
      object.status = outcome;
      if (outcome === 'failed')
        object.errors = {
          object: 'list',
          data: [{ code: 'invalid_request', message: 'The fake batch failed.' }],
        };
      return object;
    }
    const outputs: string[] = [];
    const errors: string[] = [];
    for (const line of batch.lines) {
      const item = JSON.parse(line) as {
        custom_id: string;
        body: { model?: string; messages?: { content?: unknown }[]; n?: number };
      };
      const record: RecordedRequest = {
        id: -1,
        method: 'POST',
        path: '/v1/chat/completions',
        headers: {},
        body: item.body,
        receivedAt: Date.now(),
        batchId: object.id as string,
      };
      this.record(record);
      const reply = await this.reply(record);
      if ('status' in reply || reply.error) {
        const error = ('status' in reply ? reply : reply.error) as FakeError;
        record.status = error.status;
        errors.push(
          JSON.stringify({
            id: `req-${record.id}`,
            custom_id: item.custom_id,
            response: { status_code: error.status, request_id: `req-${record.id}`, body: errorBody(error) },
            error: null,
          }),
        );
        continue;
      }
      record.status = 200;
      const completion = chatCompletion(
        record.id,
        item.body.model ?? 'fake-model',
        item.body.messages ?? [],
        reply,
        item.body.n ?? 1,
      );
      outputs.push(
        JSON.stringify({
          id: `req-${record.id}`,
          custom_id: item.custom_id,
          response: { status_code: 200, request_id: `req-${record.id}`, body: completion },
          error: null,
        }),
      );
    }
    const store = (content: string[]) =>
      this.files.add(content.join('\n') + '\n', { filename: 'batch_output.jsonl', purpose: 'batch_output' })
        .id;
    object.status = 'completed';
    object.output_file_id = outputs.length > 0 ? store(outputs) : null;
    object.error_file_id = errors.length > 0 ? store(errors) : null;
    object.request_counts = { total: batch.lines.length, completed: outputs.length, failed: errors.length };
    return object;
  }
}
