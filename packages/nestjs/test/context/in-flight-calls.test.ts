import { type LanguageModel, LM } from '@sigil/core';
import { ScriptedLM } from '@sigil/testing';
import { InFlightCalls } from '../../src/context/in-flight-calls';

describe('InFlightCalls', () => {
  it('counts calls through a proxy that keeps the LM itself usable', async () => {
    const calls = new InFlightCalls();
    const lm = new LM('openai/x', { baseURL: 'http://127.0.0.1:9/v1', cache: false });
    const tracked = calls.track(lm);
    expect(tracked).toBeInstanceOf(LM);
    expect(tracked.model).toBe('openai/x');
    expect((tracked as LM).wireModel).toBe('openai/x');
    expect((tracked as LM).stats().calls).toBe(0);
    expect(calls.track(lm)).toBe(tracked);
    expect(calls.track(tracked)).toBe(tracked);
  });

  it('drains when the last call settles, and reports the calls still running at the deadline', async () => {
    const calls = new InFlightCalls();
    const lm: LanguageModel = new ScriptedLM(['a', 'b'], { latencyMs: 30 });
    const tracked = calls.track(lm);
    const first = tracked.call([{ role: 'user', content: 'q' }]);
    expect(calls.count).toBe(1);
    expect(await calls.drain(5)).toEqual({ drained: false, remaining: 1 });
    expect(await calls.drain(1_000)).toEqual({ drained: true, remaining: 0 });
    await first;
    expect(await calls.drain(0)).toEqual({ drained: true, remaining: 0 });
  });

  it('cancels running calls on abort and passes the caller’s own signal through', async () => {
    const calls = new InFlightCalls();
    const lm = new ScriptedLM(['a']);
    const tracked = calls.track(lm);
    const own = new AbortController();
    await tracked.call([{ role: 'user', content: 'q' }], { signal: own.signal });
    const signal = lm.lastCall!.options.signal!;
    own.abort();
    expect(signal.aborted).toBe(true);
    calls.abort('shutting down');
    await expect(tracked.call([{ role: 'user', content: 'q' }])).rejects.toThrow('shutting down');
    expect(calls.count).toBe(0);
  });
});
