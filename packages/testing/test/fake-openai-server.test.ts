import { FakeOpenAIServer } from '@sigil/testing';

const json = async (response: Response | Promise<Response>): Promise<any> => (await response).json();

const chat = (baseURL: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('FakeOpenAIServer', () => {
  let server: FakeOpenAIServer;
  let baseURL: string;

  afterEach(() => server.stop());

  it('answers chat completions in OpenAI format and records the request with its headers', async () => {
    server = new FakeOpenAIServer({
      reply: ['first', { content: 'second', headers: { 'x-litellm-response-cost': '0.5' } }],
    });
    baseURL = await server.start();
    expect(baseURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const body = { model: 'm', messages: [{ role: 'user', content: 'hello' }] };
    const first = await json(chat(baseURL, body, { authorization: 'Bearer sk-k' }));
    expect(first).toMatchObject({
      object: 'chat.completion',
      model: 'm',
      choices: [{ index: 0, message: { role: 'assistant', content: 'first' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 2, completion_tokens: 2, total_tokens: 4 },
    });
    const second = await chat(baseURL, body);
    expect(second.headers.get('x-litellm-response-cost')).toBe('0.5');
    const third = await chat(baseURL, body);
    expect(third.status).toBe(400);
    expect((await json(third)).error.message).toMatch(/scripted replies are used up/);
    expect(server.requests[0]).toMatchObject({
      id: 0,
      method: 'POST',
      path: '/v1/chat/completions',
      body,
      status: 200,
    });
    expect(server.requests[0].headers.authorization).toBe('Bearer sk-k');
  });

  it('streams server-sent events ending with usage and [DONE]', async () => {
    server = new FakeOpenAIServer({ reply: 'a b c' });
    baseURL = await server.start();
    const response = await chat(baseURL, {
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const events = (await response.text()).split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice('data: '.length)));
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('')).toBe('a b c');
    expect(chunks.at(-1).usage).toMatchObject({ completion_tokens: 2 });
  });

  it('answers embeddings as floats or base64 float32', async () => {
    server = new FakeOpenAIServer();
    baseURL = await server.start();
    const post = (body: unknown) =>
      json(fetch(`${baseURL}/embeddings`, { method: 'POST', body: JSON.stringify(body) }));
    const floats = await post({ model: 'e', input: ['a', 'b'], dimensions: 3 });
    expect(floats.data).toHaveLength(2);
    expect(floats.data[0].embedding).toHaveLength(3);
    const encoded = await post({ model: 'e', input: 'a', dimensions: 3, encoding_format: 'base64' });
    const bytes = Buffer.from(encoded.data[0].embedding, 'base64');
    const decoded = Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4));
    decoded.forEach((value, i) => expect(value).toBeCloseTo(floats.data[0].embedding[i], 5));
  });

  it('injects 429 with Retry-After headers, 500s, resets and stalls', async () => {
    server = new FakeOpenAIServer();
    baseURL = await server.start();
    const body = { model: 'm', messages: [] };
    server.failNext({ kind: 'rate-limit', retryAfterSeconds: 2, retryAfterMs: 1500 });
    server.failNext('server-error');
    server.failNext('reset');
    server.failNext({ kind: 'stall', stallMs: 20 });
    const limited = await chat(baseURL, body);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(limited.headers.get('retry-after-ms')).toBe('1500');
    expect((await json(limited)).error).toMatchObject({ code: 'rate_limit_exceeded' });
    expect((await chat(baseURL, body)).status).toBe(500);
    // A reset connection and a stalled one past the client's abort both make fetch itself fail.
    // (fetch's TypeError comes from another realm under Jest, so it is matched by name.)
    await expect(chat(baseURL, body)).rejects.toMatchObject({ name: 'TypeError', message: 'fetch failed' });
    await expect(chat(baseURL, body)).rejects.toMatchObject({ name: 'TypeError', message: 'fetch failed' });
    expect((await chat(baseURL, body)).status).toBe(200);
    expect(server.requests.map((r) => r.fault)).toEqual([
      'rate-limit',
      'server-error',
      'reset',
      'stall',
      undefined,
    ]);
  });

  it('fails a random share of requests, reproducibly for a seed', async () => {
    const outcomes = async () => {
      server = new FakeOpenAIServer({ faultRate: 0.5, faults: ['server-error'], seed: 3 });
      baseURL = await server.start();
      const statuses = [];
      for (let i = 0; i < 40; i++) statuses.push((await chat(baseURL, { model: 'm', messages: [] })).status);
      await server.stop();
      return statuses;
    };
    const first = await outcomes();
    expect(first.filter((s) => s === 500).length).toBeGreaterThan(8);
    expect(first.filter((s) => s === 500).length).toBeLessThan(32);
    expect(await outcomes()).toEqual(first);
  });

  it('rejects a wrong key with an OpenAI-shaped 401, and unknown routes with 404', async () => {
    server = new FakeOpenAIServer({ apiKey: 'sk-right' });
    baseURL = await server.start();
    const wrong = await chat(baseURL, { model: 'm', messages: [] }, { authorization: 'Bearer sk-wrong' });
    expect(wrong.status).toBe(401);
    expect((await json(wrong)).error).toMatchObject({
      code: 'invalid_api_key',
      type: 'invalid_request_error',
    });
    const unknown = await fetch(`${baseURL}/nope`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-right' },
    });
    expect(unknown.status).toBe(404);
  });
});
