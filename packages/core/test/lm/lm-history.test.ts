import { LM } from '@sigil/core';
import { CallHistory, globalHistory } from '@sigil/core/internal';
import type { ChatMessage, LMOptions } from '@sigil/core';
import { FakeOpenAIServer } from '@sigil/testing';

const ask = (content: string): ChatMessage[] => [{ role: 'user', content }];
const MB = 1_000_000;

/** Characters of text an entry list keeps (prompts and replies). */
function keptCharacters(history: CallHistory): number {
  let total = 0;
  for (const entry of history.recent()) {
    for (const message of entry.messages) total += message.content?.length ?? 0;
    for (const completion of entry.response?.completions ?? []) total += completion.text.length;
  }
  return total;
}

describe('LM history bounds (issue 16, F1)', () => {
  let server: FakeOpenAIServer;
  let baseURL: string;
  const big = 'x'.repeat(2 * MB);

  beforeAll(async () => {
    server = new FakeOpenAIServer({ reply: (request) => ({ content: `${request.id}:${big}` }) });
    baseURL = await server.start();
  });
  afterAll(() => server.stop());
  beforeEach(() => globalHistory.clear());

  const lmFor = (options: LMOptions = {}) =>
    new LM('openai/test', { baseURL, apiKey: 'sk-test', cache: 'off', ...options });

  it('keeps no reply in the process-wide history beyond what historySize allows', async () => {
    const lm = lmFor({ historySize: 1 });
    for (let i = 0; i < 4; i++) await lm.call(ask(`q${i}`));
    expect(lm.history.size).toBe(1);
    expect(globalHistory.recent().filter((entry) => entry.model === 'openai/test')).toHaveLength(1);
  });

  it('records nothing anywhere when history is switched off', async () => {
    const lm = lmFor({ history: false });
    await lm.call(ask('q'));
    expect(lm.history.size).toBe(0);
    expect(globalHistory.size).toBe(0);
    expect(lm.inspectHistory(1, { print: false })).toBe('');
  });

  it('bounds the history in bytes, clipping a reply larger than the limit and saying so', async () => {
    const lm = lmFor({ history: { maxEntries: 50, maxBytes: 100_000 } });
    for (let i = 0; i < 5; i++) {
      const response = await lm.call(ask(`q${i}`));
      expect(response.completions[0].text).toHaveLength(big.length + `${server.requests.length - 1}:`.length);
    }
    expect(keptCharacters(lm.history)).toBeLessThanOrEqual(100_000);
    const last = lm.history.recent(1)[0];
    expect(last.response?.completions[0].text).toMatch(/not kept in history/);
    expect(last.messages[0].content).toBe('q4');
  });

  it('keeps the default history within a few megabytes whatever the replies weigh', async () => {
    const lm = lmFor();
    for (let i = 0; i < 6; i++) await lm.call(ask(`q${i}`));
    expect(lm.history.bytes).toBeLessThanOrEqual(4 * MB);
    expect(globalHistory.bytes).toBeLessThanOrEqual(4 * MB);
    expect(keptCharacters(globalHistory)).toBeLessThanOrEqual(4 * MB);
  });

  it('evicts the oldest entries to stay under the byte limit', () => {
    const history = new CallHistory({ maxEntries: 100, maxBytes: 1_000 });
    for (let i = 0; i < 10; i++) {
      history.push({ at: i, model: 'm', messages: ask('y'.repeat(300)), parameters: {} });
    }
    expect(history.size).toBe(3);
    expect(history.bytes).toBeLessThanOrEqual(1_000);
    expect(history.recent().map((entry) => entry.at)).toEqual([7, 8, 9]);
  });

  it('does not keep large answers in the memory cache tier', async () => {
    const lm = lmFor({ cache: { dir: false } });
    await lm.call(ask('large'));
    expect(lm.cache.stats().memoryEntries).toBe(0);
    const small = new LM('openai/test', { baseURL, apiKey: 'sk-test', cache: { dir: false } });
    server.setReply('small');
    await small.call(ask('small'));
    expect(small.cache.stats().memoryEntries).toBe(1);
    server.setReply((request) => ({ content: `${request.id}:${big}` }));
  });
});
