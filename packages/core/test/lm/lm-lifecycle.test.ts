import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LM, LMAbortedError } from '@sigil/core';
import type { ChatMessage, LMOptions } from '@sigil/core';
import { FakeOpenAIServer } from '@sigil/testing';
import { TRANSPORTS } from './support/transports';

const ask = (content: string): ChatMessage[] => [{ role: 'user', content }];

describe.each(TRANSPORTS)('LM sharing, drain and close (%s transport)', (transport) => {
  let server: FakeOpenAIServer;
  let baseURL: string;
  let counter = 0;

  beforeEach(async () => {
    counter = 0;
    server = new FakeOpenAIServer({ reply: () => ({ content: `answer ${++counter}`, latencyMs: 60 }) });
    baseURL = await server.start();
  });
  afterEach(() => server.stop());

  const lmFor = (options: LMOptions = {}) =>
    new LM('openai/gpt-4o-mini', {
      baseURL,
      apiKey: 'sk-test',
      cache: { dir: false },
      retry: { baseDelayMs: 1 },
      transport,
      ...options,
    });

  describe('identical concurrent calls', () => {
    it('share one request even when each call carries its own AbortSignal', async () => {
      const lm = lmFor();
      const [a, b] = [new AbortController(), new AbortController()];
      const [x, y] = await Promise.all([
        lm.call(ask('same'), { signal: a.signal }),
        lm.call(ask('same'), { signal: b.signal }),
      ]);
      expect(server.chatRequests).toHaveLength(1);
      expect(x.completions).toEqual(y.completions);
      expect([x.cached, y.cached]).toEqual([false, true]);
    });

    it('rejects only the waiter whose signal aborts; the others still get the answer', async () => {
      const lm = lmFor();
      const leaving = new AbortController();
      const first = lm.call(ask('same'), { signal: leaving.signal });
      const second = lm.call(ask('same'), { signal: new AbortController().signal });
      const third = lm.call(ask('same'));
      setTimeout(() => leaving.abort(), 10);
      await expect(first).rejects.toBeInstanceOf(LMAbortedError);
      await expect(second).resolves.toMatchObject({ completions: [{ text: 'answer 1' }] });
      await expect(third).resolves.toMatchObject({ completions: [{ text: 'answer 1' }] });
      expect(server.chatRequests).toHaveLength(1);
      expect(lm.stats()).toMatchObject({ errors: 1, requests: 1 });
    });

    it('aborts the shared request once every waiter has aborted, and a later call starts afresh', async () => {
      const lm = lmFor();
      const [a, b] = [new AbortController(), new AbortController()];
      const first = lm.call(ask('same'), { signal: a.signal });
      const second = lm.call(ask('same'), { signal: b.signal });
      // Abort once the shared request is at the server (not after a fixed delay, which a busy machine outruns).
      while (server.chatRequests.length === 0) await new Promise((resolve) => setTimeout(resolve, 2));
      a.abort();
      b.abort();
      await expect(first).rejects.toBeInstanceOf(LMAbortedError);
      await expect(second).rejects.toBeInstanceOf(LMAbortedError);
      await expect(lm.drain(1_000)).resolves.toEqual({ drained: true, aborted: 0 });
      expect(lm.stats()).toMatchObject({ errors: 2, retries: 0 });
      await expect(lm.call(ask('same'))).resolves.toMatchObject({ completions: [{ text: 'answer 2' }] });
      expect(server.chatRequests).toHaveLength(2);
    });

    it('refuses at once a call whose signal has already aborted', async () => {
      const lm = lmFor();
      const controller = new AbortController();
      controller.abort();
      await expect(lm.call(ask('late'), { signal: controller.signal })).rejects.toBeInstanceOf(
        LMAbortedError,
      );
      expect(server.chatRequests).toHaveLength(0);
    });
  });

  describe('drain', () => {
    it('resolves at once when nothing is in flight', async () => {
      await expect(lmFor().drain(10)).resolves.toEqual({ drained: true, aborted: 0 });
    });

    it('waits for the calls in flight, cached or not, to finish', async () => {
      const lm = lmFor();
      const calls = [lm.call(ask('one')), lm.call(ask('two'), { cache: false })];
      const stream = (async () => {
        let text = '';
        for await (const event of lm.stream(ask('three'))) if (event.type === 'delta') text += event.text;
        return text;
      })();
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(lm.inFlight).toBe(3);
      await expect(lm.drain()).resolves.toEqual({ drained: true, aborted: 0 });
      expect(lm.inFlight).toBe(0);
      await expect(Promise.all(calls)).resolves.toHaveLength(2);
      await expect(stream).resolves.toMatch(/^answer/);
    });

    it('aborts the calls still running after the timeout with LMAbortedError', async () => {
      server.setReply(() => ({ fault: 'stall' }));
      const lm = lmFor();
      const keyed = lm.call(ask('slow'));
      const joined = lm.call(ask('slow'));
      const unkeyed = lm.call(ask('slow too'), { cache: false });
      const settled = Promise.allSettled([keyed, joined, unkeyed]);
      const started = performance.now();
      const result = await lm.drain(50);
      expect(performance.now() - started).toBeLessThan(1_500);
      expect(result).toEqual({ drained: false, aborted: 2 });
      for (const outcome of await settled) {
        expect(outcome.status).toBe('rejected');
        const reason = (outcome as PromiseRejectedResult).reason;
        expect(reason).toBeInstanceOf(LMAbortedError);
        expect(reason.message).toMatch(/lm\.drain\(\).*50 ms/);
      }
    });

    it('leaves the LM usable afterwards', async () => {
      const lm = lmFor();
      await lm.drain(1);
      await expect(lm.call(ask('after'))).resolves.toMatchObject({ completions: [{ text: 'answer 1' }] });
    });
  });

  describe('close', () => {
    it('drains, waits for the cache to reach the disk, then refuses further calls', async () => {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sigil-close-'));
      try {
        const lm = lmFor({ cache: { dir } });
        const answer = lm.call(ask('persist me'));
        await expect(lm.close()).resolves.toEqual({ drained: true, aborted: 0 });
        await expect(answer).resolves.toMatchObject({ cached: false });
        const files = await fs.readdir(path.join(dir, 'lm'), { recursive: true });
        expect(files.some((f) => String(f).endsWith('.json'))).toBe(true);
        await expect(lm.call(ask('persist me'))).rejects.toThrow(/closed/);
        await expect(lm.call(ask('persist me'))).rejects.toBeInstanceOf(LMAbortedError);
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }
    });
  });
});
