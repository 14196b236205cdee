import { LM } from '@sigil/core';
import { Scheduler } from '@sigil/core/internal';
import { FakeOpenAIServer } from '@sigil/testing';
import { TRANSPORTS } from './support/transports';

describe.each(TRANSPORTS)('LM under injected faults (%s transport)', (transport) => {
  it('completes 1,000 calls with the right answers while 25% of requests fail', async () => {
    const server = new FakeOpenAIServer({
      faultRate: 0.25,
      faults: [
        { kind: 'rate-limit', retryAfterSeconds: 0, retryAfterMs: 5 },
        { kind: 'server-error' },
        { kind: 'reset' },
        { kind: 'stall' },
      ],
      seed: 7,
      reply: (request) => {
        const [a, b] = String(request.body.messages[0].content).match(/\d+/g)!.map(Number);
        return String(a * b);
      },
    });
    const baseURL = await server.start();
    try {
      // The server shares this test's one thread, so concurrency stays moderate to keep healthy answers
      // well inside the 400 ms timeout. 12 attempts: the chance that one call meets 12 faults in a row is 0.25^12 ≈ 6e-8.
      const lm = new LM('openai/fault-test', {
        baseURL,
        apiKey: 'sk-fault',
        cache: false,
        transport,
        timeoutMs: 400,
        retry: { maxAttempts: 12, baseDelayMs: 2, maxDelayMs: 20 },
        scheduler: new Scheduler({ maxConcurrency: 16 }),
      });
      const retried = new Set<string>();
      lm.on('retry', (event) => retried.add(event.error.name));
      const answers = await Promise.all(
        Array.from({ length: 1000 }, (_, i) =>
          lm
            .call([{ role: 'user', content: `What is ${i} times ${i + 3}?` }])
            .then((r) => r.completions[0].text),
        ),
      );
      answers.forEach((answer, i) => expect(answer).toBe(String(i * (i + 3))));
      const faults = server.chatRequests.filter((r) => r.fault).map((r) => r.fault);
      expect(new Set(faults)).toEqual(new Set(['rate-limit', 'server-error', 'reset', 'stall']));
      expect(faults.length / server.chatRequests.length).toBeGreaterThan(0.18);
      expect(retried).toEqual(
        new Set(['LMRateLimitError', 'LMServerError', 'LMConnectionError', 'LMTimeoutError']),
      );
      // Every fault costs a retry; on a loaded machine a slow healthy answer may time out and cost one more.
      expect(lm.stats()).toMatchObject({ calls: 1000, errors: 0 });
      expect(lm.stats().retries).toBeGreaterThanOrEqual(faults.length);
    } finally {
      await server.stop();
    }
  }, 30_000);
});
