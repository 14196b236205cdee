import { getEventListeners } from 'node:events';
import { LM } from '@sigil/core';
import { FakeOpenAIServer } from '@sigil/testing';

describe('LM calls sharing one AbortSignal (issue 16, F13)', () => {
  const server = new FakeOpenAIServer({ reply: 'ok', latencyMs: 100 });
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  it('add one abort listener to a signal however many calls share it, and none once they end', async () => {
    const lm = new LM('openai/test', {
      baseURL: server.baseURL,
      apiKey: 'sk-test',
      cache: false,
      maxConcurrency: 8,
    });
    const controller = new AbortController();
    // Node warns (MaxListenersExceededWarning) past ten listeners on one signal.
    const calls = Array.from({ length: 40 }, (_, i) =>
      lm.call([{ role: 'user', content: `q${i}` }], { signal: controller.signal }),
    );
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(getEventListeners(controller.signal, 'abort').length).toBeLessThanOrEqual(1);
    await Promise.all(calls);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('still aborts every call sharing the signal when it fires', async () => {
    const lm = new LM('openai/test', { baseURL: server.baseURL, apiKey: 'sk-test', cache: false });
    const controller = new AbortController();
    const calls = Array.from({ length: 20 }, (_, i) =>
      lm.call([{ role: 'user', content: `abort ${i}` }], { signal: controller.signal }).then(
        () => 'answered',
        (error: Error) => error.name,
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    expect(new Set(await Promise.all(calls))).toEqual(new Set(['LMAbortedError']));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
