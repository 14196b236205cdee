import { type CallOptions, type ChatMessage, type LanguageModel, type LMResponse, wrapLM } from '@sigil/core';
import { InFlightCalls } from '../../src/context/in-flight-calls';

/** An LM whose calls end when the test says so, recording the options each call got. */
function heldLM() {
  const pending: (() => void)[] = [];
  const seen: CallOptions[] = [];
  const lm: LanguageModel = {
    model: 'held',
    call: (_messages: ChatMessage[], options: CallOptions = {}) => {
      seen.push(options);
      return new Promise<LMResponse>((resolve, reject) => {
        options.signal?.addEventListener('abort', () => reject(options.signal!.reason), { once: true });
        pending.push(() =>
          resolve({
            completions: [{ text: 'a', finishReason: 'stop' }],
            usage: { promptTokens: 0, completionTokens: 0, cachedTokens: 0, totalTokens: 0 },
            cost: 0,
            model: 'held',
            cached: false,
            durationMs: 0,
          }),
        );
      });
    },
  };
  return { lm, seen, release: () => pending.shift()?.() };
}

const ask: ChatMessage[] = [{ role: 'user', content: 'q' }];

describe('InFlightCalls', () => {
  it('counts calls as an LM middleware, leaving the LM itself as it is', async () => {
    const calls = new InFlightCalls();
    const { lm, release } = heldLM();
    const counted = wrapLM(lm, calls.middleware);
    expect(counted.inner).toBe(lm);
    const first = counted.call(ask);
    expect(calls.count).toBe(1);
    release();
    await first;
    expect(calls.count).toBe(0);
  });

  it('drains when the last call settles, and reports the calls still running at the deadline', async () => {
    const calls = new InFlightCalls();
    const { lm, release } = heldLM();
    const first = wrapLM(lm, calls.middleware).call(ask);
    expect(await calls.drain(0)).toEqual({ drained: false, remaining: 1 });
    const drained = calls.drain(60_000);
    release();
    expect(await drained).toEqual({ drained: true, remaining: 0 });
    await first;
  });

  it('cancels running calls on abort and passes the caller’s own signal through', async () => {
    const calls = new InFlightCalls();
    const { lm, seen, release } = heldLM();
    const counted = wrapLM(lm, calls.middleware);
    const own = new AbortController();
    const first = counted.call(ask, { signal: own.signal });
    release();
    await first;
    own.abort();
    expect(seen[0].signal!.aborted).toBe(true);
    const running = counted.call(ask);
    calls.abort('shutting down');
    await expect(running).rejects.toMatchObject({ code: 'SHUTTING_DOWN', message: 'shutting down' });
    expect(calls.count).toBe(0);
  });
});
