import { inspectHistory, LM, LMBadRequestError, registerPrices } from '@sigil/core';
import { costOf, globalHistory, priceOf } from '@sigil/core/internal';
import type { ChatMessage, LMOptions } from '@sigil/core';
import { FakeOpenAIServer } from '@sigil/testing';
import { TRANSPORTS } from './support/transports';

const ask = (content: string): ChatMessage[] => [{ role: 'user', content }];
const KEY = 'sk-accounting-secret-999999';

describe('prices', () => {
  it('looks up LiteLLM names by their bare model name and prices cached prompt tokens apart', () => {
    expect(priceOf('openai/gpt-4o-mini')).toMatchObject({ input: 0.15, output: 0.6 });
    const usage = {
      promptTokens: 1_000_000,
      completionTokens: 1_000_000,
      cachedTokens: 500_000,
      totalTokens: 2_000_000,
    };
    expect(costOf('gpt-4o-mini', usage)).toBeCloseTo(0.5 * 0.15 + 0.5 * 0.075 + 0.6, 10);
    expect(costOf('unknown/model', usage)).toBe(0);
  });

  it('accepts user prices', () => {
    registerPrices({ 'acme/small': { input: 1, output: 3 } });
    expect(priceOf('acme/small')).toEqual({ input: 1, output: 3 });
  });
});

describe.each(TRANSPORTS)('LM accounting and history (%s transport)', (transport) => {
  let server: FakeOpenAIServer;
  let baseURL: string;

  beforeEach(async () => {
    server = new FakeOpenAIServer({
      reply: () => ({
        content: 'four',
        usage: { promptTokens: 1000, completionTokens: 200, cachedTokens: 100 },
      }),
    });
    baseURL = await server.start();
  });
  afterEach(() => server.stop());

  const lmFor = (model = 'openai/gpt-4o-mini', options: LMOptions = {}) =>
    new LM(model, {
      baseURL,
      apiKey: KEY,
      cache: { dir: false },
      retry: { baseDelayMs: 1 },
      transport,
      ...options,
    });

  it('reports usage per call and sums it per LM, cost from the price table', async () => {
    const lm = lmFor();
    const response = await lm.call(ask('2+2?'));
    expect(response.usage).toEqual({
      promptTokens: 1000,
      completionTokens: 200,
      cachedTokens: 100,
      totalTokens: 1200,
    });
    expect(response.cost).toBeCloseTo((900 * 0.15 + 100 * 0.075 + 200 * 0.6) / 1e6, 12);
    await lm.call(ask('3+3?'));
    expect(lm.usage()).toEqual({
      promptTokens: 2000,
      completionTokens: 400,
      cachedTokens: 200,
      totalTokens: 2400,
    });
    expect(lm.stats()).toMatchObject({ calls: 2, requests: 2, cacheHits: 0 });
    lm.resetStats();
    expect(lm.stats().calls).toBe(0);
  });

  it("prefers LiteLLM's x-litellm-response-cost header", async () => {
    server.setReply([{ content: 'priced', headers: { 'x-litellm-response-cost': '0.0123' } }]);
    const response = await lmFor('anthropic/claude-x').call(ask('cost?'));
    expect(response.cost).toBe(0.0123);
    expect(lmFor('anthropic/claude-x').stats().cost).toBe(0);
  });

  it('keeps a bounded history and prints it readably, reply highlighted and without secrets', async () => {
    const lm = lmFor('openai/gpt-4o-mini', { historySize: 3 });
    for (let i = 0; i < 5; i++)
      await lm.call([{ role: 'system', content: 'Be brief.' }, ...ask(`question ${i}`)]);
    expect(lm.history.size).toBe(3);
    expect(lm.history.recent().map((e) => e.messages[1].content)).toEqual([
      'question 2',
      'question 3',
      'question 4',
    ]);
    const printed: string[] = [];
    const text = lm.inspectHistory(2, { print: (t) => printed.push(t), color: true });
    expect(printed).toEqual([text]);
    expect(text).toContain('System message:');
    expect(text).toContain('User message:');
    expect(text).toContain('question 4');
    expect(text).not.toContain('question 2');
    expect(text).toContain('\x1b[32mfour\x1b[0m');
    expect(text).not.toContain(KEY);
    expect(JSON.stringify(lm.history.recent())).not.toContain(KEY);
    const global = inspectHistory(1, { print: false, color: false });
    expect(global).toContain('Response:\n\nfour');
    expect(globalHistory.size).toBeGreaterThan(0);
  });

  it('records failed calls in history and emits events to listeners', async () => {
    const lm = lmFor();
    const seen: string[] = [];
    lm.on('request', (e) => seen.push(`request ${e.attempt}`));
    lm.on('response', (e) => seen.push(`response ${e.response.cached}`));
    const stop = lm.on('error', (e) => seen.push(`error ${(e.error as Error).name}`));
    lm.on('response', () => {
      throw new Error('a broken listener');
    });
    await lm.call(ask('a'));
    await lm.call(ask('a'));
    server.setReply([{ error: { status: 400, message: `bad key ${KEY}` } }]);
    await expect(lm.call(ask('b'))).rejects.toMatchObject({ code: 'LM_BAD_REQUEST', status: 400 });
    stop();
    await expect(lm.call(ask('c'))).rejects.toBeInstanceOf(LMBadRequestError);
    expect(seen).toEqual([
      'request 1',
      'response false',
      'response true',
      'request 1',
      'error LMBadRequestError',
      'request 1',
    ]);
    const last = lm.history.recent(1)[0];
    expect(last.error).toMatch(/request rejected/);
    expect(last.error).not.toContain(KEY);
  });
});
