/**
 * OpenAI's Batch API on the fake server: `POST /v1/files` (multipart upload, purpose `batch`), `GET
 * /v1/files/:id` and `/v1/files/:id/content`, `POST /v1/batches`, `GET /v1/batches/:id`, `POST
 * /v1/batches/:id/cancel`. A batch's chat requests are answered by the server's reply script (each recorded
 * like a chat request, with its `batchId`); the batch stays `in_progress` for `pollsUntilDone` status reads
 * (default 1), then completes with an output file (and an error file for requests that failed).
 */
import type { BatchApiOptions, FakeError, FakeReply, RecordedRequest } from './types';

export type { BatchApiOptions } from './types';
import { chatCompletion, errorBody } from './wire';

/** An answer of the batch API: a status and a JSON payload, or raw text (a file's content). */
export interface BatchApiAnswer {
  status: number;
  payload?: unknown;
  text?: string;
}

/** How the batch API answers the chat requests inside a batch. */
export type BatchReplier = (record: RecordedRequest) => Promise<FakeReply | FakeError>;

interface StoredFile {
  id: string;
  filename: string;
  purpose: string;
  content: string;
  created_at: number;
}

interface StoredBatch {
  object: Record<string, unknown>;
  lines: string[];
  polls: number;
}

/** The files and batches of one fake server. */
export class FakeBatchApi {
  readonly files = new Map<string, StoredFile>();
  readonly batches = new Map<string, StoredBatch>();
  private counter = 0;

  constructor(
    private readonly reply: BatchReplier,
    private readonly record: (request: RecordedRequest) => void,
    readonly options: BatchApiOptions = {},
  ) {}

  /** Whether the route is one of the batch API's. */
  handles(route: string): boolean {
    return (
      route === '/files' ||
      route.startsWith('/files/') ||
      route === '/batches' ||
      route.startsWith('/batches/')
    );
  }

  /** Answers one request to a batch or files route (`route` without the `/v1` prefix). */
  async answer(
    method: string,
    route: string,
    raw: string,
    contentType: string,
    body: unknown,
  ): Promise<BatchApiAnswer> {
    const parts = route.split('/').filter(Boolean);
    if (parts[0] === 'files') {
      if (method === 'POST' && parts.length === 1) return this.upload(raw, contentType);
      const file = this.files.get(parts[1] ?? '');
      if (!file) return notFound(`No such File object: ${parts[1]}`);
      if (method === 'GET' && parts[2] === 'content') return { status: 200, text: file.content };
      if (method === 'GET' && parts.length === 2) return { status: 200, payload: fileObject(file) };
      return notFound(`Unknown route ${method} /v1${route}`);
    }
    if (method === 'POST' && parts.length === 1) return this.create(body);
    const batch = this.batches.get(parts[1] ?? '');
    if (!batch) return notFound(`No such batch: ${parts[1]}`);
    if (method === 'GET' && parts.length === 2) return { status: 200, payload: await this.progress(batch) };
    if (method === 'POST' && parts[2] === 'cancel') {
      batch.object.status = 'cancelled';
      return { status: 200, payload: batch.object };
    }
    return notFound(`Unknown route ${method} /v1${route}`);
  }

  private nextId(prefix: string): string {
    this.counter++;
    return `${prefix}-fake-${this.counter}`;
  }

  private upload(raw: string, contentType: string): BatchApiAnswer {
    const boundary = /boundary=("?)([^";]+)\1/.exec(contentType)?.[2];
    if (!boundary) return badRequest('Expected a multipart/form-data upload.');
    const fields: Record<string, { filename?: string; value: string }> = {};
    for (const part of raw.split(`--${boundary}`)) {
      const split = part.indexOf('\r\n\r\n');
      if (split < 0) continue;
      const head = part.slice(0, split);
      const name = /name="([^"]*)"/.exec(head)?.[1];
      if (!name) continue;
      const filename = /filename="([^"]*)"/.exec(head)?.[1];
      fields[name] = { filename, value: part.slice(split + 4).replace(/\r\n$/, '') };
    }
    if (!fields.file || !fields.purpose) return badRequest('A file upload needs "file" and "purpose".');
    const file: StoredFile = {
      id: this.nextId('file'),
      filename: fields.file.filename ?? 'upload.jsonl',
      purpose: fields.purpose.value,
      content: fields.file.value,
      created_at: Math.floor(Date.now() / 1000),
    };
    this.files.set(file.id, file);
    return { status: 200, payload: fileObject(file) };
  }

  private create(body: unknown): BatchApiAnswer {
    const request = (body ?? {}) as {
      input_file_id?: string;
      endpoint?: string;
      completion_window?: string;
      metadata?: unknown;
    };
    const input = this.files.get(request.input_file_id ?? '');
    if (!input) return badRequest(`Unknown input_file_id ${JSON.stringify(request.input_file_id)}.`);
    if (request.endpoint !== '/v1/chat/completions')
      return badRequest('Only /v1/chat/completions batches are supported.');
    const lines = input.content.split('\n').filter((line) => line.trim() !== '');
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
    return { status: 200, payload: object };
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
    const store = (content: string[]) => {
      const file: StoredFile = {
        id: this.nextId('file'),
        filename: 'batch_output.jsonl',
        purpose: 'batch_output',
        content: content.join('\n') + '\n',
        created_at: Math.floor(Date.now() / 1000),
      };
      this.files.set(file.id, file);
      return file.id;
    };
    object.status = 'completed';
    object.output_file_id = outputs.length > 0 ? store(outputs) : null;
    object.error_file_id = errors.length > 0 ? store(errors) : null;
    object.request_counts = { total: batch.lines.length, completed: outputs.length, failed: errors.length };
    return object;
  }
}

function fileObject(file: StoredFile) {
  return {
    id: file.id,
    object: 'file',
    bytes: Buffer.byteLength(file.content),
    created_at: file.created_at,
    filename: file.filename,
    purpose: file.purpose,
    status: 'processed',
  };
}

function notFound(message: string): BatchApiAnswer {
  return { status: 404, payload: errorBody({ status: 404, message }) };
}

function badRequest(message: string): BatchApiAnswer {
  return { status: 400, payload: errorBody({ status: 400, message }) };
}
