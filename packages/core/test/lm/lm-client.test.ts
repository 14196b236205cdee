import * as net from 'node:net';
import {
  ContextWindowExceededError,
  LM,
  LMAbortedError,
  LMAuthenticationError,
  LMBadRequestError,
  LMConnectionError,
  LMError,
  LMNotFoundError,
  LMRateLimitError,
  LMServerError,
  LMTimeoutError,
} from '@sigil/core';
import type { ChatMessage, LMOptions, LMStreamEvent } from '@sigil/core';
import { FakeOpenAIServer } from '@sigil/testing';
import { TRANSPORTS } from './support/transports';

const ask = (content: string): ChatMessage[] => [{ role: 'user', content }];
const fastRetries = { baseDelayMs: 1, maxDelayMs: 5 };
const KEY = 'sk-test-key-1234567890';

describe.each(TRANSPORTS)('LM against FakeOpenAIServer (%s transport)', (transport) => {
  let server: FakeOpenAIServer;
  let baseURL: string;
  const savedEnv = { ...process.env };

  beforeEach(async () => {
    server = new FakeOpenAIServer({ reply: (request) => `echo: ${request.body.messages.at(-1).content}` });
    baseURL = await server.start();
  });
  afterEach(async () => {
    process.env = { ...savedEnv };
    await server.stop();
  });

  const lmFor = (model = 'openai/gpt-4o-mini', options: LMOptions = {}) =>
    new LM(model, { baseURL, apiKey: KEY, cache: false, retry: fastRetries, transport, ...options });

  describe('model names and endpoint', () => {
    it('sends the full LiteLLM name to a proxy and returns completion and usage', async () => {
      const response = await lmFor().call(ask('hello'));
      expect(server.chatRequests[0].body.model).toBe('openai/gpt-4o-mini');
      expect(response.completions).toEqual([{ text: 'echo: hello', finishReason: 'stop' }]);
      expect(response.usage.promptTokens).toBeGreaterThan(0);
      expect(response.usage.totalTokens).toBe(response.usage.promptTokens + response.usage.completionTokens);
      expect(response.cached).toBe(false);
      expect(response.model).toBe('openai/gpt-4o-mini');
    });

    it('drops the openai/ prefix only when talking to OpenAI itself', () => {
      expect(
        new LM('openai/gpt-4o-mini', { baseURL: 'https://api.openai.com/v1', cache: false, transport })
          .wireModel,
      ).toBe('gpt-4o-mini');
      delete process.env.SIGIL_LM_BASE_URL;
      delete process.env.OPENAI_BASE_URL;
      expect(new LM('openai/gpt-4o', { cache: false }).wireModel).toBe('gpt-4o');
      expect(new LM('anthropic/claude-3-5-sonnet', { baseURL, cache: false }).wireModel).toBe(
        'anthropic/claude-3-5-sonnet',
      );
    });

    it('takes base URL and key from SIGIL_LM_* before OPENAI_*', async () => {
      process.env.OPENAI_BASE_URL = 'http://127.0.0.1:1/v1';
      process.env.SIGIL_LM_BASE_URL = baseURL;
      process.env.OPENAI_API_KEY = 'sk-openai-env';
      process.env.SIGIL_LM_API_KEY = 'sk-sigil-env';
      const lm = new LM('openai/m', { cache: false, transport });
      expect(lm.baseURL).toBe(baseURL);
      await lm.call(ask('env'));
      expect(server.requests[0].headers.authorization).toBe('Bearer sk-sigil-env');
    });

    it('fails with a typed error and no request when OpenAI is the endpoint and no key is set', async () => {
      delete process.env.SIGIL_LM_API_KEY;
      delete process.env.OPENAI_API_KEY;
      const lm = new LM('openai/gpt-4o-mini', {
        baseURL: 'https://api.openai.com/v1',
        cache: false,
        transport,
      });
      await expect(lm.call(ask('x'))).rejects.toThrow(/no API key.*OPENAI_API_KEY/);
    });
  });

  describe('request options', () => {
    it('passes every parameter through in wire form, call options over LM defaults', async () => {
      const lm = lmFor('openai/gpt-4o-mini', { temperature: 0.2, maxTokens: 100, extraBody: { user: 'u1' } });
      await lm.call(ask('params'), {
        temperature: 0.7,
        n: 1,
        stop: ['\n\n'],
        seed: 42,
        topP: 0.9,
        responseFormat: { type: 'json_object' },
        extraBody: { metadata: { run: 'r1' } },
      });
      const body = server.chatRequests[0].body;
      expect(body).toMatchObject({
        model: 'openai/gpt-4o-mini',
        messages: [{ role: 'user', content: 'params' }],
        temperature: 0.7,
        max_tokens: 100,
        n: 1,
        stop: ['\n\n'],
        seed: 42,
        top_p: 0.9,
        response_format: { type: 'json_object' },
        user: 'u1',
        metadata: { run: 'r1' },
      });
      expect(body).not.toHaveProperty('rolloutId');
      expect(body).not.toHaveProperty('rollout_id');
    });

    it('uses max_completion_tokens for OpenAI reasoning models', async () => {
      await lmFor('o3-mini').call(ask('think'), { maxTokens: 50 });
      expect(server.chatRequests[0].body).toMatchObject({ max_completion_tokens: 50 });
      expect(server.chatRequests[0].body).not.toHaveProperty('max_tokens');
    });

    it('returns one completion per sample when n > 1', async () => {
      server.setReply([{ content: ['first', 'second', 'third'] }]);
      const response = await lmFor().call(ask('many'), { n: 3 });
      expect(response.completions.map((c) => c.text)).toEqual(['first', 'second', 'third']);
      expect(server.chatRequests[0].body.n).toBe(3);
    });

    it('returns tool calls when the model makes them', async () => {
      server.setReply([{ toolCalls: [{ id: 'call_1', name: 'search', arguments: { query: 'dune' } }] }]);
      const tools = [{ type: 'function', function: { name: 'search', parameters: { type: 'object' } } }];
      const response = await lmFor().call(ask('find dune'), { tools, toolChoice: 'auto' });
      expect(server.chatRequests[0].body).toMatchObject({ tools, tool_choice: 'auto' });
      expect(response.completions[0]).toEqual({
        text: '',
        finishReason: 'tool_calls',
        toolCalls: [
          { id: 'call_1', type: 'function', function: { name: 'search', arguments: '{"query":"dune"}' } },
        ],
      });
    });

    it('sends custom headers and the key as a Bearer token', async () => {
      await lmFor('openai/m', { headers: { 'x-litellm-tags': 'sigil' } }).call(ask('h'));
      expect(server.requests[0].headers).toMatchObject({
        authorization: `Bearer ${KEY}`,
        'x-litellm-tags': 'sigil',
      });
    });
  });

  describe('streaming', () => {
    it('yields text deltas, then the full response with usage', async () => {
      server.setReply([{ content: 'the quick brown fox' }]);
      const events: LMStreamEvent[] = [];
      for await (const event of lmFor().stream(ask('stream please'))) events.push(event);
      const deltas = events.filter((e) => e.type === 'delta').map((e) => (e as { text: string }).text);
      expect(deltas.length).toBeGreaterThan(1);
      expect(deltas.join('')).toBe('the quick brown fox');
      const done = events.at(-1) as Extract<LMStreamEvent, { type: 'done' }>;
      expect(done.type).toBe('done');
      expect(done.response.completions[0]).toEqual({ text: 'the quick brown fox', finishReason: 'stop' });
      expect(done.response.usage.completionTokens).toBeGreaterThan(0);
      expect(server.chatRequests[0].body).toMatchObject({
        stream: true,
        stream_options: { include_usage: true },
      });
    });

    it('retries a stream that fails before its first byte', async () => {
      server.failNext({ kind: 'server-error' });
      const lm = lmFor();
      let text = '';
      for await (const event of lm.stream(ask('retry stream')))
        if (event.type === 'delta') text += event.text;
      expect(text).toBe('echo: retry stream');
      expect(lm.stats().retries).toBe(1);
    });
  });

  describe('abort and timeout', () => {
    it('stops a call when the caller aborts, without retrying', async () => {
      server.failNext('stall');
      const controller = new AbortController();
      const call = lmFor().call(ask('abort me'), { signal: controller.signal });
      // Abort once the request is at the server (a fixed delay can pass before the SDK has even loaded).
      while (server.chatRequests.length === 0) await new Promise((resolve) => setTimeout(resolve, 2));
      controller.abort();
      await expect(call).rejects.toBeInstanceOf(LMAbortedError);
      expect(server.chatRequests).toHaveLength(1);
    });

    it('times out a stalled attempt and retries it', async () => {
      server.failNext('stall');
      const lm = lmFor();
      const response = await lm.call(ask('slow'), { timeoutMs: 100 });
      expect(response.completions[0].text).toBe('echo: slow');
      expect(server.chatRequests.map((r) => r.fault)).toEqual(['stall', undefined]);
    });

    it('reports LMTimeoutError with the attempt count when every attempt stalls', async () => {
      server.failNext('stall', 3);
      const lm = lmFor('openai/m', { retry: { ...fastRetries, maxAttempts: 3 } });
      const error = await lm.call(ask('never'), { timeoutMs: 50 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LMTimeoutError);
      expect((error as LMTimeoutError).attempts).toBe(3);
      expect((error as Error).message).toMatch(/no answer within 50 ms.*Gave up after 3 attempts/);
    });
  });

  describe('errors', () => {
    const cases: [
      string,
      number,
      Partial<{ message: string; code: string }>,
      new (...args: any[]) => LMError,
    ][] = [
      ['400', 400, { message: 'Unsupported parameter: foo' }, LMBadRequestError],
      ['401', 401, { message: `Incorrect API key provided: ${KEY}` }, LMAuthenticationError],
      ['404', 404, { message: 'The model `nope` does not exist' }, LMNotFoundError],
      [
        'context window',
        400,
        { message: "This model's maximum context length is 8192 tokens", code: 'context_length_exceeded' },
        ContextWindowExceededError,
      ],
    ];

    it.each(cases)('%s fails at once as a typed error, not retried', async (_label, status, error, type) => {
      server.setReply([{ error: { status, message: error.message ?? 'x', code: error.code } }]);
      const lm = lmFor();
      const failure = (await lm.call(ask('bad')).catch((e: unknown) => e)) as LMError;
      expect(failure).toBeInstanceOf(type);
      expect(failure).toMatchObject({
        status,
        model: 'openai/gpt-4o-mini',
        endpoint: baseURL,
        attempts: 1,
        retryable: false,
      });
      expect(failure.message).toContain('openai/gpt-4o-mini');
      expect(failure.message).toContain(baseURL);
      expect(failure.message).not.toContain(KEY);
      expect(failure.providerMessage).not.toContain(KEY);
      expect(server.chatRequests).toHaveLength(1);
    });

    it('treats 429 insufficient_quota as final', async () => {
      server.setReply([
        { error: { status: 429, message: 'You exceeded your current quota', code: 'insufficient_quota' } },
      ]);
      const failure = await lmFor()
        .call(ask('quota'))
        .catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(LMRateLimitError);
      expect(failure).toMatchObject({
        retryable: false,
        code: 'LM_QUOTA_EXCEEDED',
        providerCode: 'insufficient_quota',
      });
      expect(server.chatRequests).toHaveLength(1);
    });

    it('retries 500s and reset connections, then succeeds', async () => {
      server.failNext('server-error');
      server.failNext('reset');
      const lm = lmFor();
      const retries: number[] = [];
      lm.on('retry', (event) => retries.push(event.attempt));
      await expect(lm.call(ask('flaky'))).resolves.toMatchObject({ completions: [{ text: 'echo: flaky' }] });
      expect(retries).toEqual([1, 2]);
    });

    it('gives up after maxAttempts with the last typed error', async () => {
      server.failNext('server-error', 10);
      const failure = await lmFor('openai/m', { retry: { ...fastRetries, maxAttempts: 4 } })
        .call(ask('down'))
        .catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(LMServerError);
      expect(failure).toMatchObject({ status: 500, attempts: 4 });
      expect(server.chatRequests).toHaveLength(4);
    });

    it('reports a refused connection as LMConnectionError', async () => {
      const lm = new LM('openai/m', {
        baseURL: 'http://127.0.0.1:9/v1',
        cache: false,
        transport,
        retry: { maxAttempts: 1 },
      });
      await expect(lm.call(ask('nobody home'))).rejects.toBeInstanceOf(LMConnectionError);
    });

    it('gives a dead endpoint only a few quick attempts (LM_UNREACHABLE), not the whole backoff chain', async () => {
      // A port that was free a moment ago (9, the usual dead port, is one fetch refuses to dial at all).
      const probe = net.createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const { port } = probe.address() as net.AddressInfo;
      await new Promise<void>((resolve) => probe.close(() => resolve()));
      const lm = new LM('openai/m', {
        baseURL: `http://127.0.0.1:${port}/v1`,
        cache: false,
        transport,
        retry: { baseDelayMs: 1, maxDelayMs: 1 },
      });
      const failure = await lm.call(ask('nobody home')).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(LMConnectionError);
      expect(failure).toMatchObject({ code: 'LM_UNREACHABLE', attempts: 3, retryable: true });
      expect((failure as Error).message).toMatch(
        /nothing answers there .*ECONNREFUSED.*Gave up after 3 attempts/,
      );
    });

    it('honours retry-after-ms between attempts and fails at once past maxRetryAfterMs', async () => {
      server.failNext({ kind: 'rate-limit', retryAfterMs: 150 });
      const lm = lmFor('openai/m', { retry: { baseDelayMs: 1, maxDelayMs: 1 } });
      const delays: number[] = [];
      lm.on('retry', (event) => delays.push(event.delayMs));
      await lm.call(ask('wait for it'));
      const [first, second] = server.chatRequests;
      expect(delays).toEqual([150]);
      expect(second.receivedAt - first.receivedAt).toBeGreaterThanOrEqual(140);

      server.reset();
      server.failNext({ kind: 'rate-limit', retryAfterSeconds: 1 });
      const capped = lmFor('openai/m', { retry: { baseDelayMs: 1, maxRetryAfterMs: 80 } });
      const cappedDelays: number[] = [];
      capped.on('retry', (event) => cappedDelays.push(event.delayMs));
      const error = await capped.call(ask('seconds')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LMRateLimitError);
      expect((error as LMRateLimitError).retryAfterMs).toBe(1_000);
      expect(cappedDelays).toEqual([]);
    });
  });
});
