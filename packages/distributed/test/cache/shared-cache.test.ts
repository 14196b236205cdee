jest.setTimeout(60_000);

import { LM } from '@sigil/core';
import { redisCache, RedisCacheStore } from '@sigil/distributed';
import { startRedisServer, type RedisServer } from '@sigil/distributed/internal';
import { FakeOpenAIServer } from '@sigil/testing';
import { Redis } from 'ioredis';
import { type Child, startChild } from '../support/child';

let redis: RedisServer;
let server: FakeOpenAIServer;
let baseURL: string;
const children: Child[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  server = new FakeOpenAIServer({
    reply: (request) => `answer to ${request.body.messages.at(-1)?.content}`,
    latencyMs: 400,
  });
  baseURL = await server.start();
});

afterAll(async () => {
  for (const child of children) await child.kill();
  await server.stop();
  await redis.stop();
});

function lmChild(namespace: string): Child {
  const child = startChild('cache-child.ts', [redis.url, baseURL, namespace]);
  children.push(child);
  return child;
}

const paidFor = (prompt: string) =>
  server.requests.filter((request) => request.body.messages.at(-1)?.content === prompt).length;

describe('the Redis tier of the LM cache', () => {
  it('serves in a second process what the first one paid for', async () => {
    const [first, second] = [lmChild('shared'), lmChild('shared')];
    await Promise.all([first.waitFor((m) => m.ready), second.waitFor((m) => m.ready)]);
    first.process.send({ prompt: 'q1' });
    expect(await first.waitFor((m) => m.prompt === 'q1')).toEqual({
      prompt: 'q1',
      text: 'answer to q1',
      cached: false,
    });
    second.process.send({ prompt: 'q1' });
    expect(await second.waitFor((m) => m.prompt === 'q1')).toEqual({
      prompt: 'q1',
      text: 'answer to q1',
      cached: true,
    });
    expect(paidFor('q1')).toBe(1);
  });

  it('pays once when two processes ask the same uncached request at the same time', async () => {
    const [first, second] = [lmChild('dedupe'), lmChild('dedupe')];
    await Promise.all([first.waitFor((m) => m.ready), second.waitFor((m) => m.ready)]);
    first.process.send({ prompt: 'q2' });
    second.process.send({ prompt: 'q2' });
    const answers = await Promise.all([
      first.waitFor((m) => m.prompt === 'q2'),
      second.waitFor((m) => m.prompt === 'q2'),
    ]);
    expect(answers.map((a) => a.text)).toEqual(['answer to q2', 'answer to q2']);
    expect(answers.map((a) => a.cached).sort()).toEqual([false, true]);
    expect(paidFor('q2')).toBe(1);
  });

  it('keeps namespaces apart', async () => {
    const other = lmChild('another-project');
    await other.waitFor((m) => m.ready);
    other.process.send({ prompt: 'q1' });
    expect(await other.waitFor((m) => m.prompt === 'q1')).toMatchObject({ cached: false });
    expect(paidFor('q1')).toBe(2);
  });
});

describe('RedisCacheStore', () => {
  let client: Redis;
  beforeAll(() => {
    client = new Redis(redis.url);
  });
  afterAll(async () => {
    await client.quit();
  });

  it('treats an entry of the wrong shape as a miss and pays for a fresh answer', async () => {
    const cache = redisCache({ redis: client, namespace: 'bad-entries' });
    const lm = new LM('openai/test', { baseURL, apiKey: 'sk-test', cache });
    const first = await lm.call([{ role: 'user', content: 'q3' }]);
    expect(first.cached).toBe(false);
    await cache.flush();
    const [key] = await client.keys('sigil:cache:bad-entries:*');
    const entry = JSON.parse((await client.get(key))!);
    await client.set(key, JSON.stringify({ ...entry, value: { completions: 'not a list' } }));
    cache.clearMemory();
    const again = await lm.call([{ role: 'user', content: 'q3' }]);
    expect(again.cached).toBe(false);
    expect(again.completions[0].text).toBe('answer to q3');
    expect((cache.stats().store as Record<string, number>).invalid).toBeGreaterThan(0);
    await cache.flush();
    // The fresh answer replaced the bad entry.
    expect(JSON.parse((await client.get(key))!).value.completions[0].text).toBe('answer to q3');
  });

  it('lets entries expire after the TTL', async () => {
    const store = new RedisCacheStore<{ n: number }>({ redis: client, namespace: 'ttl', ttlSeconds: 30 });
    await store.write('k', { n: 1 });
    expect(await client.ttl(store.keyOf('k'))).toBeGreaterThan(25);
    expect(await store.read('k')).toEqual({ n: 1 });
  });

  it('lets a waiter take over when the holder of a claim dies without an answer', async () => {
    const store = new RedisCacheStore<{ n: number }>({
      redis: client,
      namespace: 'dead-holder',
      lockMs: 300,
      pollMs: 20,
    });
    // A holder that never releases and never renews: its lock simply expires.
    await client.set(`${store.keyOf('k')}:lock`, 'dead', 'PX', 300);
    const claim = await store.claim('k');
    expect('release' in claim).toBe(true);
    if ('release' in claim) await claim.release();
  });
});
