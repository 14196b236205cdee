import { spawn } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CacheMissError, LM } from '@sigil/core';
import { ResponseCache } from '@sigil/core/internal';
import type { ChatMessage, LMOptions } from '@sigil/core';
import { FakeOpenAIServer } from '@sigil/testing';
import { DiskStore } from '../../src/lm/disk-store';

const ask = (content: string): ChatMessage[] => [{ role: 'user', content }];
const KEY = 'sk-cache-secret-abcdef123456';

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(path.join(entry.parentPath ?? (entry as any).path, entry.name));
  }
  return out;
}

describe('LM cache', () => {
  let server: FakeOpenAIServer;
  let baseURL: string;
  let dir: string;
  let counter = 0;

  beforeEach(async () => {
    counter = 0;
    server = new FakeOpenAIServer({ reply: () => `answer ${++counter}` });
    baseURL = await server.start();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sigil-cache-'));
  });
  afterEach(async () => {
    await server.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const lmFor = (cache: LMOptions['cache'] = { dir }, options: LMOptions = {}) =>
    new LM('openai/gpt-4o-mini', { baseURL, apiKey: KEY, cache, retry: { baseDelayMs: 1 }, ...options });

  it('answers a repeated request from memory with recorded usage and cost, counted apart from paid calls', async () => {
    const lm = lmFor({ dir }, { price: { input: 1, output: 2 } });
    const first = await lm.call(ask('same'), { temperature: 0 });
    const second = await lm.call(ask('same'), { temperature: 0 });
    expect(server.chatRequests).toHaveLength(1);
    expect(second).toMatchObject({
      cached: true,
      completions: first.completions,
      usage: first.usage,
      cost: first.cost,
    });
    expect(first.cost).toBeGreaterThan(0);
    const stats = lm.stats();
    expect(stats).toMatchObject({
      calls: 2,
      cacheHits: 1,
      requests: 1,
      cost: first.cost,
      cachedCost: first.cost,
    });
    expect(lm.usage()).toEqual(first.usage);
  });

  it('misses when any answer-changing parameter or the rolloutId differs', async () => {
    const lm = lmFor();
    await lm.call(ask('q'), { temperature: 0.5 });
    await lm.call(ask('q'), { temperature: 0.5, rolloutId: 1 });
    await lm.call(ask('q'), { temperature: 0.5, rolloutId: 2 });
    await lm.call(ask('q'), { temperature: 0.6 });
    await lm.call(ask('q'), { temperature: 0.5, rolloutId: 1 });
    await lm.call(ask('q'), { temperature: 0.5, timeoutMs: 999, priority: 'bulk' });
    expect(server.chatRequests).toHaveLength(4);
  });

  it('serves another instance (a fresh process) from disk', async () => {
    const answer = await lmFor().call(ask('persist'));
    const reader = lmFor({ dir, mode: 'read-only' });
    const again = await reader.call(ask('persist'));
    expect(again).toMatchObject({ cached: true, completions: answer.completions });
    expect(server.chatRequests).toHaveLength(1);
  });

  it('read-only mode reads entries but stores nothing new', async () => {
    const lm = lmFor({ dir, mode: 'read-only' });
    await lm.call(ask('ro'));
    await lm.call(ask('ro'));
    expect(server.chatRequests).toHaveLength(2);
    await expect(fs.readdir(path.join(dir, 'lm'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('off mode and the per-call cache switch always reach the network', async () => {
    const off = lmFor('off');
    await off.call(ask('o'));
    await off.call(ask('o'));
    const on = lmFor();
    await on.call(ask('p'));
    await on.call(ask('p'), { cache: false });
    expect(server.chatRequests).toHaveLength(4);
  });

  it('replay mode answers from the cache and fails a miss with CacheMissError, without any request', async () => {
    await lmFor().call(ask('recorded'));
    const replay = lmFor({ dir, mode: 'replay' });
    await expect(replay.call(ask('recorded'))).resolves.toMatchObject({ cached: true });
    const miss = (await replay.call(ask('never recorded')).catch((e: unknown) => e)) as CacheMissError;
    expect(miss).toBeInstanceOf(CacheMissError);
    expect(miss.message).toContain('openai/gpt-4o-mini');
    expect(miss.message).toContain(miss.digest.slice(0, 16));
    expect(miss.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(server.chatRequests).toHaveLength(1);
  });

  it('treats a truncated or corrupt entry as a miss and rewrites it', async () => {
    const first = lmFor();
    await first.call(ask('fragile'));
    const [file] = (await listFiles(path.join(dir, 'lm'))).filter((f) => f.endsWith('.json'));
    const full = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, full.slice(0, full.length / 2));
    await fs.writeFile(`${file}.123.abc.tmp`, full.slice(0, 10));

    const second = lmFor();
    const answer = await second.call(ask('fragile'));
    expect(answer).toMatchObject({ cached: false, completions: [{ text: 'answer 2' }] });
    expect(JSON.parse(await fs.readFile(file, 'utf8')).value.completions[0].text).toBe('answer 2');
    await expect(lmFor({ dir, mode: 'replay' }).call(ask('fragile'))).resolves.toMatchObject({
      cached: true,
    });
  });

  it('lets two LM instances write the same entries concurrently without corrupting them', async () => {
    const a = lmFor();
    const b = lmFor();
    const prompts = Array.from({ length: 40 }, (_, i) => ask(`shared ${i % 10}`));
    await Promise.all(prompts.flatMap((messages) => [a.call(messages), b.call(messages)]));
    const files = (await listFiles(path.join(dir, 'lm'))).filter((f) => f.endsWith('.json'));
    expect(files).toHaveLength(10);
    for (const file of files) expect(() => JSON.parse(readFileSync(file, 'utf8'))).not.toThrow();
    expect((await listFiles(dir)).filter((f) => f.endsWith('.tmp'))).toHaveLength(0);
  });

  it('keeps entries readable while separate processes overwrite them', async () => {
    const store = new DiskStore<{ writer: string; round: number; payload: string }>(dir);
    const script = path.join(__dirname, 'fixtures', 'cache-writer.ts');
    const writers = ['w1', 'w2', 'w3'].map(
      (writer) =>
        new Promise<number>((resolve) => {
          const child = spawn(
            process.execPath,
            ['-r', 'ts-node/register/transpile-only', script, dir, writer, '60'],
            {
              stdio: 'ignore',
            },
          );
          child.on('exit', (code) => resolve(code ?? -1));
        }),
    );
    let exited = false;
    const all = Promise.all(writers).then((codes) => {
      exited = true;
      return codes;
    });
    let reads = 0;
    while (!exited) {
      const value = await store.read('aa11');
      if (value) {
        reads++;
        expect(value.payload.startsWith(`${value.writer}:${value.round}:`)).toBe(true);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await all).toEqual([0, 0, 0]);
    expect(store.stats().corrupt).toBe(0);
    expect(reads).toBeGreaterThan(0);
    for (const key of ['aa11', 'aa22', 'bb33']) expect(await store.read(key)).toMatchObject({ round: 59 });
  }, 20_000);

  it('never writes the API key or Authorization into cache files', async () => {
    const lm = lmFor({ dir }, { headers: { 'x-extra': 'visible' } });
    await lm.call(ask('secret?'));
    for (const file of await listFiles(dir)) {
      const text = await fs.readFile(file, 'utf8');
      expect(text).not.toContain(KEY);
      expect(text.toLowerCase()).not.toContain('authorization');
      expect(text).not.toContain('Bearer');
    }
  });

  it('shares one ResponseCache between LMs and deduplicates identical in-flight calls', async () => {
    const cache = new ResponseCache<any>('lm', { dir: false });
    const a = lmFor(cache);
    const b = lmFor(cache);
    server.setReply(() => ({ content: `answer ${++counter}`, latencyMs: 30 }));
    const [x, y] = await Promise.all([a.call(ask('once')), a.call(ask('once'))]);
    expect(x.completions).toEqual(y.completions);
    expect(server.chatRequests).toHaveLength(1);
    await expect(b.call(ask('once'))).resolves.toMatchObject({ cached: true });
    expect(server.chatRequests).toHaveLength(1);
  });
});
