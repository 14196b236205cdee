/**
 * Real servers on 127.0.0.1 that the transport tests start and stop: a plain HTTP(S) server with a handler
 * per test, and a forward proxy (absolute-form requests for http, CONNECT tunnels for https) that records
 * what went through it. Both refuse to reach anything but the loopback address.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';

/** A started server: its base URL, the sockets it accepted, and `stop()`. */
export interface Started {
  url: string;
  port: number;
  /** Connections accepted so far. */
  connections: number;
  /** The most connections open at once. */
  peakConnections: number;
  stop(): Promise<void>;
}

function track(server: net.Server, url: (port: number) => string): Promise<Started> {
  return new Promise((resolve, reject) => {
    let open = 0;
    const sockets = new Set<net.Socket>();
    const started: Started = {
      url: '',
      port: 0,
      connections: 0,
      peakConnections: 0,
      stop: () =>
        new Promise<void>((done) => {
          server.close(() => done());
          for (const socket of sockets) socket.destroy();
        }),
    };
    server.on('connection', (socket: net.Socket) => {
      started.connections++;
      started.peakConnections = Math.max(started.peakConnections, ++open);
      sockets.add(socket);
      socket.on('close', () => {
        open--;
        sockets.delete(socket);
      });
    });
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      started.port = (server.address() as AddressInfo).port;
      started.url = url(started.port);
      resolve(started);
    });
  });
}

/** An HTTP server on 127.0.0.1 answering with `handler`; `url` is `http://127.0.0.1:<port>`. */
export function startServer(handler: http.RequestListener): Promise<Started> {
  return track(http.createServer(handler), (port) => `http://127.0.0.1:${port}`);
}

/** An HTTPS server on 127.0.0.1 with the given key and certificate; `url` is `https://localhost:<port>`. */
export function startTlsServer(
  tls: { key: string; cert: string },
  handler: http.RequestListener,
): Promise<Started> {
  return track(https.createServer(tls, handler), (port) => `https://localhost:${port}`);
}

/** A reply in OpenAI's chat-completion shape. */
export function completionBody(text: string): string {
  return JSON.stringify({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'm',
    choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: text } }],
    usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
  });
}

/** Reads a request body as text. */
export function bodyOf(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    request.on('error', reject);
  });
}

/** A forward proxy on 127.0.0.1 and what it carried (`GET http://…` targets and `CONNECT host:port` tunnels). */
export interface Proxy extends Started {
  forwarded: string[];
  tunnels: string[];
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export async function startProxy(): Promise<Proxy> {
  const forwarded: string[] = [];
  const tunnels: string[] = [];
  const server = http.createServer((request, response) => {
    const target = new URL(request.url ?? '');
    if (!LOOPBACK.has(target.hostname)) {
      response.writeHead(403).end('this test proxy reaches the loopback address only');
      return;
    }
    forwarded.push(`${request.method} ${target.href}`);
    const upstream = http.request(
      target,
      { method: request.method, headers: { ...request.headers, host: target.host } },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  });
  server.on('connect', (request: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const [host, port] = (request.url ?? '').split(':');
    if (!LOOPBACK.has(host)) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    tunnels.push(request.url ?? '');
    const upstream = net.connect(Number(port), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
  });
  const started = await track(server, (port) => `http://127.0.0.1:${port}`);
  return Object.assign(started, { forwarded, tunnels });
}
