/**
 * `serveSimulator`: a `TaskSimulator` behind an OpenAI-compatible HTTP endpoint on 127.0.0.1, so any
 * OpenAI client (Sigil's `LM`, a LiteLLM proxy, curl) can talk to it. A small server of its own rather
 * than `FakeOpenAIServer`: it must listen on a chosen port and run for hours without recording requests.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CallOptions, ChatMessage } from '@sigil/core';
import { chatChunks, chatCompletion, errorBody } from '../fake-server/wire';
import type { TaskSimulator } from './task-simulator';

/** Where to listen. */
export interface ServeSimulatorOptions {
  /** The port (default 0: a free one). */
  port?: number;
  /** The interface (default `127.0.0.1`: nothing outside this machine can reach it). */
  host?: string;
}

/** A running simulator endpoint. */
export interface ServedSimulator {
  /** The base URL to use as `OPENAI_BASE_URL`, e.g. `http://127.0.0.1:8787/v1`. */
  url: string;
  port: number;
  /** Chat requests answered so far. */
  readonly requests: number;
  /** Closes every connection and stops listening. */
  stop(): Promise<void>;
}

interface ChatBody {
  model?: string;
  messages?: unknown;
  n?: number;
  temperature?: number;
  seed?: number;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
}

/**
 * Serves `simulator` as an OpenAI-compatible chat-completions endpoint — **a simulator, not a model**.
 * @example
 * const served = await serveSimulator(new TaskSimulator({ items }), { port: 8787 });
 * const lm = new LM('openai/sigil-simulator', { baseURL: served.url });
 * await served.stop();
 */
export async function serveSimulator(
  simulator: TaskSimulator,
  options: ServeSimulatorOptions = {},
): Promise<ServedSimulator> {
  let answered = 0;
  const server = http.createServer((request, response) => {
    handle(simulator, request, response, answered)
      .then((chat) => {
        if (chat) answered++;
      })
      .catch((error: unknown) => {
        if (!response.headersSent && !response.destroyed) {
          send(response, 500, errorBody({ status: 500, message: `Simulator error: ${String(error)}` }));
        }
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}/v1`,
    port,
    get requests() {
      return answered;
    },
    async stop() {
      if (!server.listening) return;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** Answers one request; resolves true when it was a chat completion. */
async function handle(
  simulator: TaskSimulator,
  request: http.IncomingMessage,
  response: http.ServerResponse,
  id: number,
): Promise<boolean> {
  const raw = await readBody(request);
  const route = (request.url ?? '/').split('?')[0].replace(/^\/v1/, '');
  if (request.method === 'GET' && route === '/models') {
    send(response, 200, {
      object: 'list',
      data: [{ id: simulator.model, object: 'model', owned_by: 'sigil' }],
    });
    return false;
  }
  if (request.method !== 'POST' || route !== '/chat/completions') {
    const message = `The simulator serves POST /v1/chat/completions and GET /v1/models, not ${request.method} ${route}.`;
    send(response, 404, errorBody({ status: 404, message }));
    return false;
  }
  const body = parseJson(raw) as ChatBody | undefined;
  const messages = body?.messages;
  if (!body || !Array.isArray(messages)) {
    send(
      response,
      400,
      errorBody({ status: 400, message: 'The request body must be JSON with a messages array.' }),
    );
    return false;
  }
  const chat: ChatMessage[] = messages.map((m: { role?: unknown; content?: unknown }) => ({
    role: (typeof m.role === 'string' ? m.role : 'user') as ChatMessage['role'],
    content: typeof m.content === 'string' ? m.content : JSON.stringify(m.content ?? ''),
  }));
  const n = Number.isInteger(body.n) && (body.n as number) > 0 ? (body.n as number) : 1;
  const callOptions: CallOptions = { n, temperature: body.temperature, seed: body.seed };
  const answer = await simulator.call(chat, callOptions);
  const reply = {
    content: answer.completions.map((c) => c.text),
    usage: {
      promptTokens: answer.usage.promptTokens,
      completionTokens: answer.usage.completionTokens,
    },
  };
  const model = body.model ?? simulator.model;
  if (!body.stream) {
    send(response, 200, chatCompletion(id, model, chat, reply, n));
    return true;
  }
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const withUsage = Boolean(body.stream_options?.include_usage);
  for (const chunk of chatChunks(id, model, chat, reply, n, withUsage)) {
    response.write(`data: ${JSON.stringify(chunk)}\n\n`);
  }
  response.end('data: [DONE]\n\n');
  return true;
}

function send(response: http.ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    request.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}
