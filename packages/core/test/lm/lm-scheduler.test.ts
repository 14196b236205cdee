import { LM } from '@sigil/core';
import { Scheduler } from '@sigil/core/internal';
import type { ChatMessage } from '@sigil/core';
import { FakeOpenAIServer } from '@sigil/testing';
import { RateBucket } from '../../src/lm/rate-limit';

const ask = (content: string): ChatMessage[] => [{ role: 'user', content }];

describe('RateBucket', () => {
  it('allows a burst of one second, then asks callers to wait for the refill', () => {
    const bucket = new RateBucket(600);
    const now = Date.now();
    for (let i = 0; i < 10; i++) {
      expect(bucket.waitMs(1, now)).toBe(0);
      bucket.take(1, now);
    }
    expect(bucket.waitMs(1, now)).toBeGreaterThan(0);
    expect(bucket.waitMs(1, now)).toBeLessThanOrEqual(100);
  });
});

describe('Scheduler against FakeOpenAIServer', () => {
  let server: FakeOpenAIServer;
  let baseURL: string;

  beforeEach(async () => {
    server = new FakeOpenAIServer({ reply: (request) => request.body.messages[0].content, latencyMs: 5 });
    baseURL = await server.start();
  });
  afterEach(() => server.stop());

  const lmWith = (scheduler: Scheduler) =>
    new LM('openai/m', { baseURL, apiKey: 'sk-t', cache: false, scheduler });

  it('never has more requests in flight than maxConcurrency', async () => {
    const scheduler = new Scheduler({ maxConcurrency: 3 });
    const lm = lmWith(scheduler);
    let peak = 0;
    lm.on('request', () => (peak = Math.max(peak, scheduler.load.running)));
    await Promise.all(Array.from({ length: 20 }, (_, i) => lm.call(ask(`c${i}`))));
    expect(peak).toBeLessThanOrEqual(3);
    expect(peak).toBeGreaterThan(1);
  });

  it('spaces requests to respect requestsPerMinute', async () => {
    const lm = lmWith(new Scheduler({ requestsPerMinute: 1200 }));
    const started = Date.now();
    await Promise.all(Array.from({ length: 30 }, (_, i) => lm.call(ask(`r${i}`))));
    const times = server.chatRequests.map((r) => r.receivedAt - started);
    // 1200/min = 20/s with a one-second burst: 20 go at once, the other 10 trickle in over ~0.5 s.
    expect(times.filter((t) => t < 150).length).toBeLessThanOrEqual(22);
    expect(Math.max(...times)).toBeGreaterThanOrEqual(350);
  });

  it('spaces requests to respect tokensPerMinute', async () => {
    const lm = lmWith(new Scheduler({ tokensPerMinute: 60_000 }));
    const prompt = 'x'.repeat(1600);
    const started = Date.now();
    await Promise.all(Array.from({ length: 6 }, (_, i) => lm.call(ask(`${i}${prompt}`))));
    const times = server.chatRequests.map((r) => r.receivedAt - started);
    // 1,000 tokens/s; each call is ~400 tokens in and ~400 out, so six cannot all start at once.
    expect(times.filter((t) => t < 100).length).toBeLessThan(6);
    expect(Math.max(...times)).toBeGreaterThanOrEqual(400);
  });

  it('lets interactive calls overtake queued bulk work', async () => {
    const lm = lmWith(new Scheduler({ maxConcurrency: 1 }));
    const calls = [
      ...Array.from({ length: 5 }, (_, i) => lm.call(ask(`bulk ${i}`), { priority: 'bulk' })),
      lm.call(ask('normal'), { priority: 'normal' }),
      lm.call(ask('interactive'), { priority: 'interactive' }),
      lm.call(ask('urgent'), { priority: -5 }),
    ];
    await Promise.all(calls);
    const order = server.chatRequests.map((r) => r.body.messages[0].content);
    expect(order).toEqual([
      'bulk 0',
      'urgent',
      'interactive',
      'normal',
      'bulk 1',
      'bulk 2',
      'bulk 3',
      'bulk 4',
    ]);
  });

  it('drops a queued call whose signal aborts', async () => {
    const scheduler = new Scheduler({ maxConcurrency: 1 });
    const lm = lmWith(scheduler);
    const controller = new AbortController();
    const first = lm.call(ask('first'));
    const doomed = lm.call(ask('doomed'), { signal: controller.signal });
    controller.abort();
    await expect(doomed).rejects.toThrow(/aborted/);
    await first;
    await lm.call(ask('after'));
    expect(server.chatRequests.map((r) => r.body.messages[0].content)).toEqual(['first', 'after']);
    expect(scheduler.load).toEqual({ running: 0, queued: 0 });
  });
});
