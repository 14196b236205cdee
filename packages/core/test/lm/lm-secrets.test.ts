import { inspect } from 'node:util';
import { context, LM, LMError, Predict, signature } from '@sigil/core';
import { globalHistory } from '@sigil/core/internal';
import type { Callback, ChatMessage } from '@sigil/core';
import { FakeOpenAIServer } from '@sigil/testing';

const ask = (content: string): ChatMessage[] => [{ role: 'user', content }];
const API_KEY = 'sk-live-abcdefghijklmnop1234';
const HEADER_SECRET = 'azure-9f8e7d6c5b4a39281706';
const LISTED_SECRET = 'tenant-77aa88bb99cc00dd';
const URL_SECRET = 'query-secret-5e5e5e5e5e';
const SECRETS = [API_KEY, HEADER_SECRET, LISTED_SECRET, URL_SECRET];

function expectNoSecret(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe('secrets never printed (issue 16, F6)', () => {
  // The endpoint echoes every header it received in its error message, as some proxies do.
  const server = new FakeOpenAIServer({
    reply: (request) => ({
      error: { status: 400, message: `bad request with headers ${JSON.stringify(request.headers)}` },
    }),
  });
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  const lmWith = () =>
    new LM('openai/echo', {
      baseURL: server.baseURL,
      apiKey: API_KEY,
      headers: { 'api-key': HEADER_SECRET, 'x-tenant': LISTED_SECRET, 'x-request-tag': 'visible-tag' },
      secretHeaders: ['X-Tenant'],
      cache: false,
      retry: { maxAttempts: 1 },
    });

  it('gives LM a custom inspect and toJSON without the key, headers or URL credentials', async () => {
    const lm = new LM('openai/m', {
      baseURL: `http://127.0.0.1:9/v1?api-key=${URL_SECRET}`,
      apiKey: API_KEY,
      headers: { 'api-key': HEADER_SECRET },
      cache: false,
      retry: { maxAttempts: 1 },
    });
    await lm.call(ask('create the SDK client')).catch(() => undefined);
    const printed = [inspect(lm), inspect(lm, { depth: 10, showHidden: true }), JSON.stringify(lm)];
    for (const text of printed) {
      expectNoSecret(text);
      expect(text).toContain('openai/m');
    }
    expect(inspect(lm)).toContain('api-key=[redacted]');
    expect(JSON.parse(JSON.stringify(lm))).toMatchObject({ model: 'openai/m', baseURL: expect.any(String) });
    expect(lm.baseURL).toBe('http://127.0.0.1:9/v1?api-key=[redacted]');
  });

  it('keeps user:password of a base URL (sent as Basic auth) out of everything shown', async () => {
    const lm = new LM('openai/m', {
      baseURL: `http://bob:${URL_SECRET}@127.0.0.1:9/v1`,
      cache: false,
      retry: { maxAttempts: 1 },
    });
    const basic = Buffer.from(`bob:${URL_SECRET}`).toString('base64');
    expect(lm.baseURL).toBe('http://127.0.0.1:9/v1');
    const error = (await lm.call(ask('refused')).catch((e: unknown) => e)) as LMError;
    expect(error).toBeInstanceOf(LMError);
    for (const text of [
      inspect(lm),
      JSON.stringify(lm),
      error.message,
      String(error.stack),
      JSON.stringify(error),
    ]) {
      expectNoSecret(text);
      expect(text).not.toContain(basic);
    }
  });

  it('redacts echoed custom auth headers in errors, stacks, JSON, history, events and callbacks', async () => {
    globalHistory.clear();
    const lm = lmWith();
    const seen: unknown[] = [];
    lm.on('error', (event) => seen.push(event.error));
    const ended: unknown[] = [];
    const callback: Callback = { onEnd: (_event, result) => ended.push(result.error) };
    const predict = new Predict(signature('question -> answer'), { lm });
    const error = (await context({ callbacks: [callback] }, () =>
      predict.forward({ question: 'leak?' }).catch((e: unknown) => e),
    )) as LMError;
    expect(error).toBeInstanceOf(LMError);
    expect(error.message).toContain('visible-tag');
    expect(server.requests.at(-1)?.headers['api-key']).toBe(HEADER_SECRET);
    const surfaces = [
      error.message,
      String(error.stack),
      String(error.providerMessage),
      JSON.stringify(error),
      inspect(error),
      JSON.stringify(lm.history.recent()),
      lm.inspectHistory(5, { print: false }),
      JSON.stringify(globalHistory.recent()),
      ...seen.map((e) => `${(e as Error).message} ${(e as Error).stack}`),
      ...ended.map((e) => `${(e as Error)?.message} ${(e as Error)?.stack}`),
    ];
    expect(ended.length).toBeGreaterThan(0);
    for (const text of surfaces) expectNoSecret(text);
  });

  it('redacts a header echoed in a successful reply from the history, leaving the answer itself as sent', async () => {
    const echo = new FakeOpenAIServer({ reply: (request) => `you sent ${request.headers['api-key']}` });
    const baseURL = await echo.start();
    try {
      const lm = new LM('openai/echo', {
        baseURL,
        apiKey: API_KEY,
        headers: { 'api-key': HEADER_SECRET },
        cache: false,
      });
      const response = await lm.call(ask('echo'));
      expect(response.completions[0].text).toBe(`you sent ${HEADER_SECRET}`);
      expectNoSecret(lm.inspectHistory(1, { print: false }));
      expect(lm.history.recent(1)[0].response?.completions[0].text).toBe('you sent [redacted]');
    } finally {
      await echo.stop();
    }
  });
});
