import { InvalidOptionError, LM, LMBadResponseError, LMTruncatedResponseError } from '@sigil/core';
import type { ChatMessage, LMOptions, LMStreamEvent } from '@sigil/core';
import { bodyOf, completionBody, type Started, startServer } from './support/loopback';
import { TRANSPORTS } from './support/transports';

const ask = (content: string): ChatMessage[] => [{ role: 'user', content }];
const KEY = 'sk-bad-response-secret-1234';

/** [label, content type, body, retried, what the message says came back]. */
const NOT_A_COMPLETION: [string, string, string, boolean, RegExp][] = [
  [
    'an error object sent with status 200',
    'application/json',
    '{"error":{"message":"upstream overloaded","type":"server_error"}}',
    true,
    /an error object instead of a completion: "upstream overloaded"/,
  ],
  [
    'an error object naming a client error',
    'application/json',
    '{"error":{"message":"Invalid model name","code":"400"}}',
    false,
    /\(status 400 inside\): "Invalid model name"/,
  ],
  ['`{}`', 'application/json', '{}', false, /`\{\}`, not a chat completion/],
  ['plain text', 'text/plain', 'OK', false, /text that is not JSON/],
  [
    'an HTML page',
    'text/html; charset=utf-8',
    '<!DOCTYPE html><html><body>Welcome</body></html>',
    false,
    /an HTML page/,
  ],
  [
    'an event stream nobody asked for',
    'text/event-stream',
    'data: {"choices":[{"index":0,"delta":{"content":"hi"}}]}\n\n',
    false,
    /an event stream \(SSE\), although the request did not ask to stream/,
  ],
  ['an empty body', 'application/json', '', true, /an empty body/],
];

describe.each(TRANSPORTS)('LM replies that are not chat completions (%s transport)', (transport) => {
  let server: Started;
  let reply: (request: number) => { type: string; body: string };
  let requests = 0;
  const savedEnv = { ...process.env };

  beforeEach(async () => {
    requests = 0;
    server = await startServer(async (request, response) => {
      await bodyOf(request);
      const { type, body } = reply(++requests);
      response.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(body) }).end(body);
    });
  });
  afterEach(async () => {
    process.env = { ...savedEnv };
    await server.stop();
  });

  const lmFor = (options: LMOptions = {}) =>
    new LM('openai/m', {
      baseURL: `${server.url}/v1`,
      apiKey: KEY,
      cache: false,
      transport,
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
      ...options,
    });

  it.each(NOT_A_COMPLETION)(
    'turns %s into LMBadResponseError naming endpoint, status, content type and body',
    async (_label, type, body, retried, what) => {
      reply = () => ({ type, body });
      const error = (await lmFor()
        .call(ask('hi'))
        .catch((e: unknown) => e)) as LMBadResponseError;
      expect(error).toBeInstanceOf(LMBadResponseError);
      expect(error).toMatchObject({
        code: 'LM_BAD_RESPONSE',
        status: 200,
        contentType: type,
        endpoint: `${server.url}/v1`,
        retryable: retried,
        attempts: retried ? 3 : 1,
      });
      expect(error.bodyStart).toBe(body);
      expect(error.message).toContain(`${server.url}/v1`);
      expect(error.message).toContain(`answered 200 (content-type: ${type})`);
      expect(error.message).toContain(JSON.stringify(body));
      expect(error.message).toMatch(what);
      expect(requests).toBe(retried ? 3 : 1);
    },
  );

  it('reports JSON that stops short as LMTruncatedResponseError and retries it', async () => {
    const whole = completionBody('complete');
    reply = (n) => ({ type: 'application/json', body: n === 1 ? whole.slice(0, 40) : whole });
    const lm = lmFor();
    const retried: unknown[] = [];
    lm.on('retry', (event) => retried.push(event.error));
    expect((await lm.call(ask('short'))).completions[0].text).toBe('complete');
    expect(retried[0]).toBeInstanceOf(LMTruncatedResponseError);
    expect(retried[0]).toMatchObject({ code: 'LM_TRUNCATED_RESPONSE', retryable: true });
    expect((retried[0] as Error).message).toMatch(/JSON that stops short/);
  });

  it('succeeds on the retry after a transient error object sent with 200', async () => {
    reply = (n) =>
      n === 1
        ? { type: 'application/json', body: '{"error":{"message":"try again"}}' }
        : { type: 'application/json', body: completionBody('recovered') };
    expect((await lmFor().call(ask('again'))).completions[0].text).toBe('recovered');
    expect(requests).toBe(2);
  });

  it('keeps secrets out of the body it quotes', async () => {
    reply = () => ({ type: 'text/plain', body: `denied for key ${KEY}` });
    const error = (await lmFor()
      .call(ask('x'))
      .catch((e: unknown) => e)) as LMBadResponseError;
    expect(error.message).not.toContain(KEY);
    expect(error.bodyStart).not.toContain(KEY);
  });

  it('accepts a chat completion sent with a wrong content type', async () => {
    reply = () => ({ type: 'text/plain', body: completionBody('lenient') });
    expect((await lmFor().call(ask('x'))).completions[0].text).toBe('lenient');
  });

  it('streams a whole completion from a server that ignores stream: true as one delta', async () => {
    reply = () => ({ type: 'application/json', body: completionBody('all at once') });
    const events: LMStreamEvent[] = [];
    for await (const event of lmFor().stream(ask('x'))) events.push(event);
    expect(events[0]).toEqual({ type: 'delta', index: 0, text: 'all at once' });
    expect(events[1]).toMatchObject({ type: 'done', response: { completions: [{ text: 'all at once' }] } });
  });

  it('sends credentials in the base URL as Basic auth, once, without them in baseURL or errors', async () => {
    delete process.env.SIGIL_LM_API_KEY;
    delete process.env.OPENAI_API_KEY;
    const seen: (string | undefined)[] = [];
    await server.stop();
    server = await startServer(async (request, response) => {
      await bodyOf(request);
      seen.push(request.headers.authorization);
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"message":"no"}}');
    });
    const lm = new LM('openai/m', {
      baseURL: `http://alice:p%40ss@127.0.0.1:${server.port}/v1`,
      cache: false,
      transport,
    });
    expect(lm.baseURL).toBe(`http://127.0.0.1:${server.port}/v1`);
    const error = (await lm.call(ask('x')).catch((e: unknown) => e)) as Error;
    expect(seen).toEqual([`Basic ${Buffer.from('alice:p@ss').toString('base64')}`]);
    expect(error.message).not.toContain('p%40ss');
    expect(error.message).not.toContain('alice');
  });
});

describe('LM base URLs are checked at construction', () => {
  const savedEnv = { ...process.env };
  afterEach(() => {
    process.env = { ...savedEnv };
  });

  it.each([
    ['a URL without its scheme', 'localhost:4000/v1', /has no scheme.*"http:\/\/localhost:4000\/v1"/],
    ['text that is not a URL', 'http://exa mple.com/v1', /is not a URL/],
    ['another scheme', 'ftp://127.0.0.1/v1', /uses ftp:, but an endpoint is reached over http: or https:/],
  ])('refuses %s with InvalidOptionError naming baseURL', (_label, baseURL, message) => {
    const error = (() => {
      try {
        return new LM('openai/m', { baseURL, cache: false });
      } catch (e) {
        return e;
      }
    })() as InvalidOptionError;
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ code: 'INVALID_OPTION', option: 'baseURL' });
    expect(error.message).toMatch(message);
    expect(error.message).toContain('"openai/m"');
  });

  it('names the environment variable a bad URL came from', () => {
    process.env.SIGIL_LM_BASE_URL = 'nope';
    expect(() => new LM('openai/m', { cache: false })).toThrow(/SIGIL_LM_BASE_URL "nope" has no scheme/);
  });

  it('refuses credentials in the URL together with an apiKey, showing the URL redacted', () => {
    const error = (() => {
      try {
        return new LM('openai/m', {
          baseURL: 'https://bob:hunter2@proxy.example/v1',
          apiKey: 'sk-x',
          cache: false,
        });
      } catch (e) {
        return e;
      }
    })() as InvalidOptionError;
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error.message).toContain('https://***@proxy.example/v1');
    expect(error.message).not.toContain('hunter2');
  });

  it('refuses a transport it does not know, and a pool size that is not a positive whole number', () => {
    expect(() => new LM('openai/m', { cache: false, transport: 'curl' as never })).toThrow(
      InvalidOptionError,
    );
    expect(() => new LM('openai/m', { cache: false, connections: 0 })).toThrow(
      /connections must be a positive/,
    );
  });
});
