/**
 * `FakeOpenAIServer`: a real HTTP server on 127.0.0.1 speaking OpenAI's chat-completions (streaming
 * included) and embeddings wire format, with scripted replies, latency, fault injection and a record of
 * every request. Integration tests of the LM client run against it; nothing reaches the internet.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  Fault,
  FaultKind,
  FakeError,
  FakeReply,
  FakeServerOptions,
  RecordedRequest,
  ReplyScript,
} from './types';
import { base64Embedding, chatChunks, chatCompletion, defaultEmbedding, errorBody, tokensOf } from './wire';
import { seededRandom, SigilError } from '@sigil/core';
import { FakeBatchApi } from './batch-api';
import { FakeFiles } from './files';
import { FakeFineTuning } from './fine-tuning';
import type { FakeRoutes, RouteAnswer } from './routes';

const ALL_FAULTS: FaultKind[] = ['rate-limit', 'server-error', 'reset', 'stall'];

function asFault(fault: Fault | FaultKind): Fault {
  return typeof fault === 'string' ? { kind: fault } : fault;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A loopback OpenAI-compatible server for tests.
 * @example
 * const server = new FakeOpenAIServer({ reply: (req) => `echo: ${req.body.messages.at(-1).content}` });
 * const baseURL = await server.start();
 * const lm = new LM('openai/test', { baseURL, apiKey: 'sk-test', cache: false });
 * await server.stop();
 */
export class FakeOpenAIServer {
  /** Every request received, in arrival order. */
  readonly requests: RecordedRequest[] = [];
  private readonly server: http.Server;
  private readonly random: () => number;
  private readonly queuedFaults: Fault[] = [];
  private script: ReplyScript;
  private nextReply = 0;
  private url?: string;
  /** The Files API (`/v1/files`): uploads kept byte for byte. */
  readonly files = new FakeFiles();
  /** The fine-tuning jobs API (`/v1/fine_tuning/jobs`), jobs following `options.fineTuning`. */
  readonly fineTuning: FakeFineTuning;
  /** The Batch API (`/v1/batches`), over the same files. */
  readonly batchApi: FakeBatchApi;
  /** Endpoint families beyond chat and embeddings, each in its own file. */
  private readonly routes: FakeRoutes[];

  constructor(private readonly options: FakeServerOptions = {}) {
    this.fineTuning = new FakeFineTuning(this.files, options.fineTuning);
    this.batchApi = new FakeBatchApi(
      this.files,
      (record) => this.nextScriptedReply(record),
      (record) => {
        record.id = this.requests.length;
        this.requests.push(record);
      },
      options.batch,
    );
    this.routes = [this.files, this.fineTuning, this.batchApi];
    this.script = options.reply ?? 'ok';
    this.random = seededRandom(options.seed ?? 1);
    this.server = http.createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        if (!response.headersSent && !response.destroyed) {
          this.send(
            response,
            500,
            errorBody({ status: 500, message: `FakeOpenAIServer crashed: ${String(error)}` }),
          );
        }
      });
    });
  }

  /** Listens on 127.0.0.1 at a free port; resolves to the base URL (`http://127.0.0.1:<port>/v1`). */
  async start(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/v1`;
    return this.url;
  }

  /** The base URL (after `start()`). */
  get baseURL(): string {
    if (!this.url)
      throw new SigilError('FakeOpenAIServer: call start() before reading baseURL.', {
        code: 'FAKE_SERVER_NOT_STARTED',
      });
    return this.url;
  }

  /** Closes every connection (stalled ones included) and stops listening. */
  async stop(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  /** Requests to `/v1/chat/completions`. */
  get chatRequests(): RecordedRequest[] {
    return this.requests.filter((request) => request.path.endsWith('/chat/completions'));
  }

  /** Replaces the reply script (and restarts a list). */
  setReply(script: ReplyScript): void {
    this.script = script;
    this.nextReply = 0;
  }

  /** Fails the next `count` chat/embedding requests with `fault`, before any random faults. */
  failNext(fault: Fault | FaultKind, count = 1): void {
    for (let i = 0; i < count; i++) this.queuedFaults.push(asFault(fault));
  }

  /** Forgets recorded requests and queued faults, and restarts a list script. */
  reset(): void {
    this.requests.length = 0;
    this.queuedFaults.length = 0;
    this.nextReply = 0;
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const raw = await readBody(request);
    const [path, search] = (request.url ?? '/').split('?');
    const record: RecordedRequest = {
      id: this.requests.length,
      method: request.method ?? 'GET',
      path,
      headers: flattenHeaders(request.headers),
      body: parseJson(raw.toString('utf8')),
      receivedAt: Date.now(),
    };
    this.requests.push(record);
    const route = path.replace(/^\/v1/, '');
    if (
      this.options.apiKey !== undefined &&
      record.headers.authorization !== `Bearer ${this.options.apiKey}`
    ) {
      const message =
        'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.';
      return this.fail(record, response, { status: 401, message, code: 'invalid_api_key' });
    }
    if (request.method === 'GET' && route === '/models') {
      return this.reply(record, response, 200, {
        object: 'list',
        data: [{ id: 'fake-model', object: 'model' }],
      });
    }
    for (const routes of this.routes) {
      const answer = await routes.answer({
        method: record.method,
        route,
        query: new URLSearchParams(search ?? ''),
        record,
        raw,
        contentType: record.headers['content-type'] ?? '',
      });
      if (answer) return this.answerWith(record, response, answer);
    }
    if (request.method !== 'POST' || (route !== '/chat/completions' && route !== '/embeddings')) {
      return this.fail(record, response, { status: 404, message: `Unknown route ${request.method} ${path}` });
    }
    if (record.body === undefined || typeof record.body !== 'object') {
      return this.fail(record, response, { status: 400, message: 'The request body is not JSON.' });
    }
    const fault = this.queuedFaults.shift() ?? this.randomFault();
    if (fault) return this.inject(record, response, fault);
    if (this.options.latencyMs) await sleep(this.options.latencyMs);
    if (route === '/embeddings') return this.embeddings(record, response);
    return this.chat(record, response);
  }

  private randomFault(): Fault | undefined {
    const rate = this.options.faultRate ?? 0;
    if (rate <= 0 || this.random() >= rate) return undefined;
    const mix = this.options.faults ?? ALL_FAULTS;
    return asFault(mix[Math.floor(this.random() * mix.length)]);
  }

  private async inject(record: RecordedRequest, response: http.ServerResponse, fault: Fault): Promise<void> {
    record.fault = fault.kind;
    switch (fault.kind) {
      case 'rate-limit': {
        const headers: Record<string, string> = { 'retry-after': String(fault.retryAfterSeconds ?? 0) };
        if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
        const message = 'Rate limit reached for requests. Please try again shortly.';
        return this.fail(record, response, {
          status: 429,
          message,
          type: 'requests',
          code: 'rate_limit_exceeded',
          headers,
        });
      }
      case 'server-error': {
        const message = 'The server had an error while processing your request.';
        return this.fail(record, response, { status: fault.status ?? 500, message, type: 'server_error' });
      }
      case 'reset':
        socketOf(response).destroy();
        return;
      case 'stall':
        if (fault.stallMs !== undefined) {
          await sleep(fault.stallMs);
          socketOf(response).destroy();
        }
        return;
    }
  }

  private async nextScriptedReply(record: RecordedRequest): Promise<FakeReply | FakeError> {
    const script = this.script;
    if (typeof script === 'string') return { content: script };
    if (typeof script === 'function') {
      const reply = await script(record);
      return typeof reply === 'string' ? { content: reply } : reply;
    }
    if (this.nextReply >= script.length) {
      return { status: 400, message: `FakeOpenAIServer: the ${script.length} scripted replies are used up.` };
    }
    const reply = script[this.nextReply++];
    return typeof reply === 'string' ? { content: reply } : reply;
  }

  private async chat(record: RecordedRequest, response: http.ServerResponse): Promise<void> {
    const reply = await this.nextScriptedReply(record);
    if ('status' in reply) return this.fail(record, response, reply);
    if (reply.fault) return this.inject(record, response, asFault(reply.fault));
    if (reply.error) return this.fail(record, response, reply.error);
    if (reply.latencyMs) await sleep(reply.latencyMs);
    const body = record.body as {
      model?: string;
      messages?: { content?: unknown }[];
      n?: number;
      stream?: boolean;
    };
    const model = body.model ?? 'fake-model';
    const messages = body.messages ?? [];
    const n = body.n ?? 1;
    const headers = { ...this.options.headers, ...reply.headers };
    if (!body.stream) {
      return this.reply(record, response, 200, chatCompletion(record.id, model, messages, reply, n), headers);
    }
    const withUsage = Boolean(
      (record.body as { stream_options?: { include_usage?: boolean } }).stream_options?.include_usage,
    );
    record.status = 200;
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers });
    for (const chunk of chatChunks(record.id, model, messages, reply, n, withUsage)) {
      if (response.destroyed) return;
      if (reply.chunkDelayMs && isContentChunk(chunk)) await sleep(reply.chunkDelayMs);
      if (response.destroyed) return;
      response.write(`data: ${JSON.stringify(chunk)}\n\n`);
    }
    response.end('data: [DONE]\n\n');
  }

  private embeddings(record: RecordedRequest, response: http.ServerResponse): void {
    const body = record.body as {
      model?: string;
      input?: unknown;
      dimensions?: number;
      encoding_format?: string;
    };
    const inputs = Array.isArray(body.input) ? body.input.map(String) : [String(body.input ?? '')];
    const model = body.model ?? 'fake-embedding';
    const dimensions = body.dimensions ?? 8;
    const embed = this.options.embed ?? defaultEmbedding;
    const data = inputs.map((text, index) => {
      const vector = embed(text, model, dimensions);
      const embedding = body.encoding_format === 'base64' ? base64Embedding(vector) : vector;
      return { object: 'embedding', index, embedding };
    });
    const tokens = inputs.reduce((sum, text) => sum + tokensOf(text), 0);
    const payload = { object: 'list', model, data, usage: { prompt_tokens: tokens, total_tokens: tokens } };
    this.reply(record, response, 200, payload, this.options.headers);
  }

  private answerWith(record: RecordedRequest, response: http.ServerResponse, answer: RouteAnswer): void {
    if (answer.raw === undefined) return this.reply(record, response, answer.status, answer.body);
    record.status = answer.status;
    if (response.destroyed) return;
    response.writeHead(answer.status, {
      'content-type': answer.contentType ?? 'application/octet-stream',
      'content-length': answer.raw.length,
    });
    response.end(answer.raw);
  }

  private fail(record: RecordedRequest, response: http.ServerResponse, error: FakeError): void {
    this.reply(record, response, error.status, errorBody(error), error.headers);
  }

  private reply(
    record: RecordedRequest,
    response: http.ServerResponse,
    status: number,
    payload: unknown,
    headers: Record<string, string> = {},
  ): void {
    record.status = status;
    if (response.destroyed) return;
    this.send(response, status, payload, headers);
  }

  private send(
    response: http.ServerResponse,
    status: number,
    payload: unknown,
    headers: Record<string, string> = {},
  ) {
    const text = JSON.stringify(payload);
    response.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      ...headers,
    });
    response.end(text);
  }
}

function isContentChunk(chunk: unknown): boolean {
  const choices = (chunk as { choices?: { delta?: { content?: string } }[] }).choices;
  return Boolean(choices?.[0]?.delta?.content);
}

function socketOf(response: http.ServerResponse) {
  return response.socket ?? response.req.socket;
}

function readBody(request: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => resolve(Buffer.concat(parts)));
    request.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
