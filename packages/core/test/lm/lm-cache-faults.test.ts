import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LM } from '@sigil/core';
import type { ChatMessage, LMOptions } from '@sigil/core';
import { FakeOpenAIServer } from '@sigil/testing';
import { DiskStore } from '../../src/lm/disk-store';

const ask = (content: string): ChatMessage[] => [{ role: 'user', content }];

describe('cache faults (issue 16)', () => {
  let a: FakeOpenAIServer;
  let b: FakeOpenAIServer;
  let dir: string;

  beforeAll(async () => {
    a = new FakeOpenAIServer({ reply: 'from A' });
    b = new FakeOpenAIServer({ reply: 'from B' });
    await Promise.all([a.start(), b.start()]);
  });
  afterAll(() => Promise.all([a.stop(), b.stop()]));
  beforeEach(async () => {
    a.reset();
    b.reset();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sigil-cache-faults-'));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  const lmAt = (server: FakeOpenAIServer, options: LMOptions = {}) =>
    new LM('openai/same-model', { baseURL: server.baseURL, apiKey: 'sk-test', cache: { dir }, ...options });

  it('F11: does not answer an endpoint from the entry another endpoint stored for the same model', async () => {
    const first = await lmAt(a).call(ask('who are you?'));
    const second = await lmAt(b).call(ask('who are you?'));
    expect(first.completions[0].text).toBe('from A');
    expect(second.completions[0].text).toBe('from B');
    expect(second.cached).toBe(false);
    expect(b.chatRequests).toHaveLength(1);
    const again = await lmAt(a).call(ask('who are you?'));
    expect(again).toMatchObject({ cached: true, completions: [{ text: 'from A' }] });
  });

  it('F8: treats a stored entry of the wrong shape as a miss and overwrites it', async () => {
    const lm = lmAt(a);
    await lm.call(ask('shape'));
    const store = new DiskStore(path.join(dir, 'lm'));
    const files = await fs.readdir(store.dir, { recursive: true });
    const file = path.join(store.dir, files.find((name) => String(name).endsWith('.json')) as string);
    const entry = JSON.parse(await fs.readFile(file, 'utf8'));
    await fs.writeFile(file, JSON.stringify({ ...entry, value: {} }));

    const fresh = lmAt(a);
    const answer = await fresh.call(ask('shape'));
    expect(answer).toMatchObject({ cached: false, completions: [{ text: 'from A' }] });
    expect(a.chatRequests).toHaveLength(2);
    expect(fresh.cache.stats().disk?.corrupt).toBe(1);
    await fresh.cache.flush();
    expect(JSON.parse(await fs.readFile(file, 'utf8')).value.completions[0].text).toBe('from A');
    expect((await lmAt(a).call(ask('shape'))).cached).toBe(true);
  });

  it('F7: warns once, naming the folder and the error, and goes on without the disk tier', async () => {
    const blocker = path.join(dir, 'a-file');
    await fs.writeFile(blocker, 'not a folder');
    const cacheDir = path.join(blocker, 'cache');
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const lm = lmAt(a, { cache: { dir: cacheDir } });
      for (let i = 0; i < 3; i++) {
        expect((await lm.call(ask(`unwritable ${i}`))).completions[0].text).toBe('from A');
      }
      await lm.cache.flush();
      const cacheWarnings = warn.mock.calls.filter(
        ([, options]) => (options as { code?: string } | undefined)?.code === 'SIGIL_CACHE_UNWRITABLE',
      );
      expect(cacheWarnings).toHaveLength(1);
      expect(String(cacheWarnings[0][0])).toContain(path.join(cacheDir, 'lm'));
      expect(String(cacheWarnings[0][0])).toMatch(/ENOTDIR|EEXIST/);
      expect(lm.cache.stats().disk?.writeErrors).toBe(1);
      expect((await lm.call(ask('unwritable 0'))).cached).toBe(true);
    } finally {
      warn.mockRestore();
    }
  });
});
