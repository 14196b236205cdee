import { LM, LMRateLimitError } from '@sigil/core';
import { Scheduler } from '@sigil/core/internal';
import type { ChatMessage } from '@sigil/core';
import { FakeOpenAIServer } from '@sigil/testing';

const ask = (content: string): ChatMessage[] => [{ role: 'user', content }];

/** `count` requests granted and answered normally. */
function answered(scheduler: Scheduler, count: number): void {
  for (let i = 0; i < count; i++) scheduler.tryAcquire()?.release();
}

describe('rate-limit pauses (issue 16, F3)', () => {
  it('pauses new requests for a share of Retry-After proportionate to the share of 429s', () => {
    const scheduler = new Scheduler({ maxConcurrency: 16 });
    answered(scheduler, 99);
    scheduler.rateLimited(1_000);
    expect(scheduler.pauseRemainingMs()).toBeGreaterThan(0);
    expect(scheduler.pauseRemainingMs()).toBeLessThanOrEqual(50);
  });

  it('caps the pause of an endpoint that rate-limits everything at maxRateLimitPauseMs', () => {
    const scheduler = new Scheduler({ maxConcurrency: 4, maxRateLimitPauseMs: 2_000 });
    for (let i = 0; i < 40; i++) {
      scheduler.tryAcquire({ priority: 'interactive' })?.release();
      scheduler.rateLimited(3_600_000);
    }
    expect(scheduler.pauseRemainingMs()).toBeGreaterThan(1_000);
    expect(scheduler.pauseRemainingMs()).toBeLessThanOrEqual(2_000);
  });

  it('lets interactive calls through a rate-limit pause, ahead of the held ones', async () => {
    const scheduler = new Scheduler({ maxConcurrency: 4 });
    for (let i = 0; i < 40; i++) scheduler.rateLimited(60_000);
    expect(scheduler.tryAcquire({ priority: 'bulk' })).toBeUndefined();
    let bulkGranted = false;
    const bulk = new AbortController();
    scheduler.acquire({ priority: 'bulk', signal: bulk.signal }).then(
      () => (bulkGranted = true),
      () => undefined,
    );
    const interactive = await scheduler.acquire({ priority: 'interactive' });
    expect(bulkGranted).toBe(false);
    interactive.release();
    bulk.abort();
  });

  describe('against an endpoint', () => {
    const server = new FakeOpenAIServer({ reply: (request) => `answer ${request.body.messages[0].content}` });
    beforeAll(() => server.start());
    afterAll(() => server.stop());
    beforeEach(() => server.reset());
    const lm = (options: ConstructorParameters<typeof LM>[1] = {}) =>
      new LM('openai/m', { baseURL: server.baseURL, apiKey: 'sk-test', cache: false, ...options });

    it('fails a call at once when Retry-After exceeds maxRetryAfterMs, saying how long the server asked', async () => {
      server.failNext({ kind: 'rate-limit', retryAfterSeconds: 3600 });
      const error = await lm()
        .call(ask('late'))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LMRateLimitError);
      expect((error as LMRateLimitError).retryAfterMs).toBe(3_600_000);
      expect((error as Error).message).toMatch(/asked to wait 3600 s/);
      expect((error as Error).message).toMatch(/maxRetryAfterMs/);
      expect(server.chatRequests).toHaveLength(1);
    });

    it("fails a call at once when Retry-After goes past the call's deadline", async () => {
      server.failNext({ kind: 'rate-limit', retryAfterSeconds: 30 });
      const error = await lm()
        .call(ask('deadline'), { deadlineMs: 2_000 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LMRateLimitError);
      expect((error as Error).message).toMatch(/asked to wait 30 s/);
      expect((error as Error).message).toMatch(/deadline/);
      expect(server.chatRequests).toHaveLength(1);
    });

    it('keeps the other calls and an interactive one going after one 429 with a long Retry-After', async () => {
      const model = lm({ maxConcurrency: 4 });
      server.failNext({ kind: 'rate-limit', retryAfterSeconds: 3600 });
      const first = model.call(ask('first')).catch((e: unknown) => e);
      expect(await first).toBeInstanceOf(LMRateLimitError);
      const rest = Array.from({ length: 12 }, (_, i) => model.call(ask(`bulk ${i}`), { priority: 'bulk' }));
      const urgent = await model.call(ask('urgent'), { priority: 'interactive' });
      expect(urgent.completions[0].text).toBe('answer urgent');
      const texts = (await Promise.all(rest)).map((r) => r.completions[0].text);
      expect(texts).toEqual(Array.from({ length: 12 }, (_, i) => `answer bulk ${i}`));
    });
  });
});
