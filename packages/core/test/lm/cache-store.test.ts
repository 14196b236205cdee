import { InvalidOptionError, LM, type LMResponse } from '@sigil/core';
import { type CacheClaim, type CacheStore, ResponseCache } from '@sigil/core/internal';
import { FakeOpenAIServer } from '@sigil/testing';

/** A second tier in memory, with a claim that can say another process already has the answer. */
class MapStore implements CacheStore<LMResponse> {
  readonly location = 'memory map';
  readonly entries = new Map<string, LMResponse>();
  claims: string[] = [];
  released = 0;
  answerOnClaim?: LMResponse;
  async read(key: string) {
    return this.entries.get(key);
  }
  async write(key: string, value: LMResponse) {
    this.entries.set(key, value);
    return true;
  }
  async remove(key: string) {
    this.entries.delete(key);
  }
  async flush() {}
  async claim(key: string): Promise<CacheClaim<LMResponse>> {
    this.claims.push(key);
    if (this.answerOnClaim) return { value: this.answerOnClaim };
    return { release: async () => void this.released++ };
  }
}

describe('a ResponseCache with a store as its second tier', () => {
  const server = new FakeOpenAIServer({ reply: 'paid answer' });
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => server.reset());

  const lmWith = (store: MapStore) =>
    new LM('openai/test', { baseURL: server.baseURL, apiKey: 'sk-test', cache: { store } });

  it('stores answers in the store, claims a miss before paying and releases the claim after storing', async () => {
    const store = new MapStore();
    const lm = lmWith(store);
    expect(lm.cache.dir).toBeUndefined();
    expect(lm.cache.location).toBe('memory map');
    await lm.call([{ role: 'user', content: 'q' }]);
    expect(store.claims).toHaveLength(1);
    expect(store.released).toBe(1);
    expect([...store.entries.values()][0].completions[0].text).toBe('paid answer');
    lm.cache.clearMemory();
    const again = await lm.call([{ role: 'user', content: 'q' }]);
    expect(again.cached).toBe(true);
    expect(server.chatRequests).toHaveLength(1);
  });

  it('serves the answer a claim returns (another process paid) without a request', async () => {
    const store = new MapStore();
    store.answerOnClaim = {
      completions: [{ text: 'theirs', finishReason: 'stop' }],
      usage: { promptTokens: 1, completionTokens: 1, cachedTokens: 0, totalTokens: 2 },
      cost: 0,
      model: 'test',
      cached: false,
      durationMs: 1,
    };
    const lm = lmWith(store);
    const response = await lm.call([{ role: 'user', content: 'q' }]);
    expect(response).toMatchObject({ cached: true, completions: [{ text: 'theirs' }] });
    expect(server.chatRequests).toHaveLength(0);
    expect(lm.cache.stats().misses).toBe(0);
  });

  it('refuses a store and a folder together', () => {
    expect(() => new ResponseCache('lm', { store: new MapStore(), dir: '/tmp/x' })).toThrow(
      InvalidOptionError,
    );
  });
});
