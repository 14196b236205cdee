import * as zlib from 'node:zlib';
import { LM, LMTimeoutError, LMTruncatedResponseError } from '@sigil/core';
import type { ChatMessage, LMOptions, LMStreamEvent } from '@sigil/core';
import {
  bodyOf,
  completionBody,
  type Proxy,
  type Started,
  startProxy,
  startServer,
} from './support/loopback';
import { TRANSPORTS } from './support/transports';

const ask = (content: string): ChatMessage[] => [{ role: 'user', content }];
const PROXY_VARIABLES = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy'];

describe.each(TRANSPORTS)('LM transport (%s)', (transport) => {
  const started: Started[] = [];
  const saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    for (const name of PROXY_VARIABLES) {
      saved[name] = process.env[name];
      delete process.env[name];
    }
  });
  afterEach(async () => {
    for (const name of PROXY_VARIABLES) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    await Promise.all(started.splice(0).map((server) => server.stop()));
  });

  const serve = async (handler: Parameters<typeof startServer>[0]) => {
    const server = await startServer(handler);
    started.push(server);
    return server;
  };
  const echoServer = () =>
    serve(async (request, response) => {
      const body = JSON.parse(await bodyOf(request)) as { messages: ChatMessage[] };
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(completionBody(`echo: ${body.messages.at(-1)?.content}`));
    });
  const lmAt = (baseURL: string, options: LMOptions = {}) =>
    new LM('openai/m', {
      baseURL,
      apiKey: 'sk-transport-test',
      cache: false,
      transport,
      retry: { baseDelayMs: 1, maxDelayMs: 2 },
      ...options,
    });

  describe('proxies', () => {
    let proxy: Proxy;
    beforeEach(async () => {
      proxy = await startProxy();
      started.push(proxy);
    });

    it('sends an http endpoint through HTTP_PROXY', async () => {
      const server = await echoServer();
      process.env.HTTP_PROXY = proxy.url;
      const response = await lmAt(`${server.url}/v1`).call(ask('via proxy'));
      expect(response.completions[0].text).toBe('echo: via proxy');
      expect(proxy.forwarded).toEqual([`POST ${server.url}/v1/chat/completions`]);
    });

    it('reaches a host listed in NO_PROXY directly', async () => {
      const server = await echoServer();
      process.env.HTTP_PROXY = proxy.url;
      process.env.NO_PROXY = `example.com, 127.0.0.1:${server.port}`;
      const response = await lmAt(`${server.url}/v1`).call(ask('direct'));
      expect(response.completions[0].text).toBe('echo: direct');
      expect(proxy.forwarded).toEqual([]);
      expect(proxy.connections).toBe(0);
    });

    it('does not use HTTPS_PROXY for an http endpoint', async () => {
      const server = await echoServer();
      process.env.HTTPS_PROXY = proxy.url;
      await lmAt(`${server.url}/v1`).call(ask('plain'));
      expect(proxy.connections).toBe(0);
    });
  });

  describe('redirects', () => {
    it('follows a 307 with the same method and body, as fetch does', async () => {
      const target = await echoServer();
      const origin = await serve((request, response) => {
        response.writeHead(307, { location: `${target.url}/v2${request.url?.replace(/^\/v1/, '')}` }).end();
      });
      const response = await lmAt(`${origin.url}/v1`).call(ask('moved'));
      expect(response.completions[0].text).toBe('echo: moved');
    });

    it('does not send the Authorization header to another origin', async () => {
      const seen: (string | undefined)[] = [];
      const target = await serve((request, response) => {
        seen.push(request.headers.authorization);
        response.writeHead(200, { 'content-type': 'application/json' }).end(completionBody('there'));
      });
      const origin = await serve((request, response) => {
        seen.push(request.headers.authorization);
        response.writeHead(308, { location: `${target.url}${request.url}` }).end();
      });
      await lmAt(`${origin.url}/v1`).call(ask('cross-origin'));
      expect(seen).toEqual(['Bearer sk-transport-test', undefined]);
    });
  });

  describe('bodies', () => {
    it('reports a body cut short as LMTruncatedResponseError and retries it', async () => {
      let requests = 0;
      const server = await serve(async (request, response) => {
        await bodyOf(request);
        const full = completionBody('whole');
        if (++requests === 1) {
          response.writeHead(200, { 'content-type': 'application/json', 'content-length': full.length });
          response.write(full.slice(0, 20));
          setTimeout(() => response.socket?.destroy(), 5);
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end(full);
      });
      const lm = lmAt(`${server.url}/v1`);
      const retried: unknown[] = [];
      lm.on('retry', (event) => retried.push(event.error));
      const response = await lm.call(ask('cut'));
      expect(response.completions[0].text).toBe('whole');
      expect(retried).toHaveLength(1);
      expect(retried[0]).toBeInstanceOf(LMTruncatedResponseError);
      expect(retried[0]).toMatchObject({ code: 'LM_TRUNCATED_RESPONSE', status: 200, retryable: true });
      expect((retried[0] as Error).message).toContain(server.url);
    });

    it('times out a reply whose body stalls after the headers', async () => {
      const server = await serve(async (request, response) => {
        await bodyOf(request);
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': 400 });
        response.write('{"id":');
      });
      const error = await lmAt(`${server.url}/v1`, { retry: { maxAttempts: 2, baseDelayMs: 1 } })
        .call(ask('stall'), { timeoutMs: 80 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LMTimeoutError);
      expect(error).toMatchObject({ attempts: 2 });
    });

    it('decodes a gzip-compressed reply', async () => {
      const server = await serve(async (request, response) => {
        await bodyOf(request);
        response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        response.end(zlib.gzipSync(completionBody('unzipped')));
      });
      const response = await lmAt(`${server.url}/v1`).call(ask('gzip'));
      expect(response.completions[0].text).toBe('unzipped');
    });

    it('reports a stream that breaks off as LMTruncatedResponseError after the deltas it got', async () => {
      const server = await serve(async (request, response) => {
        await bodyOf(request);
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        const chunk = (text: string) =>
          `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })}\n\n`;
        response.write(chunk('Hello'));
        response.write(chunk(' wor'));
        setTimeout(() => response.socket?.destroy(), 20);
      });
      const events: LMStreamEvent[] = [];
      const error = await (async () => {
        for await (const event of lmAt(`${server.url}/v1`).stream(ask('stream'))) events.push(event);
      })().catch((e: unknown) => e);
      expect(events.map((e) => (e.type === 'delta' ? e.text : e.type))).toEqual(['Hello', ' wor']);
      expect(error).toBeInstanceOf(LMTruncatedResponseError);
      expect((error as Error).message).toMatch(/broke off after 2 chunks/);
    });
  });

  describe('connections', () => {
    it('reuses one keep-alive connection for sequential calls from LMs on the same endpoint', async () => {
      const server = await echoServer();
      const first = lmAt(`${server.url}/v1`);
      const second = lmAt(`${server.url}/v1`);
      // A socket goes back to its pool on the turn after the reply is read.
      const settle = () => new Promise((resolve) => setTimeout(resolve, 5));
      for (let i = 0; i < 3; i++) {
        await first.call(ask(`a${i}`));
        await settle();
        await second.call(ask(`b${i}`));
        await settle();
      }
      expect(server.connections).toBe(1);
    });
  });
});

describe('LM pooled transport', () => {
  it('keeps at most `connections` sockets open to an endpoint', async () => {
    const server = await startServer(async (request, response) => {
      await bodyOf(request);
      setTimeout(
        () => response.writeHead(200, { 'content-type': 'application/json' }).end(completionBody('ok')),
        30,
      );
    });
    try {
      const lm = new LM('openai/m', {
        baseURL: `${server.url}/v1`,
        apiKey: 'sk-pool',
        cache: false,
        connections: 2,
        maxConcurrency: 6,
      });
      const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => lm.call(ask(`q${i}`))));
      expect(answers.every((answer) => answer.completions[0].text === 'ok')).toBe(true);
      expect(server.peakConnections).toBe(2);
    } finally {
      await server.stop();
    }
  });
});
