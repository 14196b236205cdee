import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { context } from '@sigil/core';
import { DistributedEvaluator, RedisUnavailableError } from '@sigil/distributed';
import { startRedisServer, type RedisServer } from '@sigil/distributed/internal';
import { BootstrapRandomSearch, type BootstrapRandomSearchOptions } from '@sigil/optimize';
import { type Child, startChild } from '../support/child';
import { metric, simulatorLM, task, trainset, valset } from '../support/sentiment-task';

jest.setTimeout(120_000);

let redis: RedisServer;
const workers: Child[] = [];
const folder = mkdtempSync(path.join(os.tmpdir(), 'sigil-distributed-'));
const data = { trainset, valset };

function search(options: Partial<BootstrapRandomSearchOptions> = {}): BootstrapRandomSearch {
  return new BootstrapRandomSearch({ metric, numCandidatePrograms: 3, seed: 1, ...options });
}

function worker(delayMs: number): Child {
  const child = startChild('worker-child.ts', [redis.url, String(delayMs), 'optimize']);
  workers.push(child);
  return child;
}

let uninterrupted: unknown;

beforeAll(async () => {
  redis = await startRedisServer();
  const ready = [worker(300), worker(20)].map((w) => w.waitFor((m) => m.ready || m.error));
  // The run every distributed one must end like: one process, no interruption, the same seed.
  const optimized = await context({ lm: simulatorLM() }, () => search().compile(task.program(), data));
  uninterrupted = optimized.dumpState();
  await Promise.all(ready);
});

afterAll(async () => {
  for (const child of workers) await child.kill();
  await redis.stop();
  // The restarted server reused the first one's folder, which it does not own.
  rmSync(redis.dir, { recursive: true, force: true });
  rmSync(folder, { recursive: true, force: true });
});

const optimizeTask = { ...task, name: 'optimize' };

describe('distributed optimization', () => {
  it('ends with the same program when a worker is killed mid-job, its job re-run by another worker', async () => {
    const [slow, fast] = workers;
    const victim = slow.waitFor((m) => m.phase === 'start');
    const backend = await DistributedEvaluator.connect({
      redis: redis.url,
      task: optimizeTask,
      batchSize: 2,
    });
    try {
      const killed = victim.then(async (started) => {
        await slow.kill();
        return started.job as string;
      });
      const optimized = await context({ lm: simulatorLM() }, () =>
        search({ backend }).compile(task.program(), data),
      );
      expect(optimized.dumpState()).toEqual(uninterrupted);
      const job = await killed;
      expect(slow.messages.some((m) => m.job === job && m.phase === 'done')).toBe(false);
      expect(fast.messages.some((m) => m.job === job && m.phase === 'done')).toBe(true);
    } finally {
      await backend.close();
    }
  });

  it('stops with REDIS_UNAVAILABLE when Redis is lost mid-run, keeps the journal, and --resume ends as an uninterrupted run', async () => {
    const journal = path.join(folder, 'lost.journal.jsonl');
    const backend = await DistributedEvaluator.connect({
      redis: redis.url,
      task: optimizeTask,
      lostAfterMs: 1_000,
    });
    const first = search({ backend, journal });
    first.on('candidate', (candidate) => {
      if (candidate.index === 1) void redis.kill();
    });
    const failure = await context({ lm: simulatorLM() }, () => first.compile(task.program(), data)).catch(
      (e: unknown) => e,
    );
    await backend.close();
    expect(failure).toBeInstanceOf(RedisUnavailableError);
    expect((failure as RedisUnavailableError).code).toBe('REDIS_UNAVAILABLE');
    const journaled = readFileSync(journal, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
      .filter((line) => line.kind === 'candidate');
    expect(journaled.length).toBeGreaterThanOrEqual(2);

    redis = await startRedisServer({ port: redis.port, dir: redis.dir });
    const again = await DistributedEvaluator.connect({ redis: redis.url, task: optimizeTask });
    try {
      const resumed = search({ backend: again, journal, resume: true });
      const events: boolean[] = [];
      resumed.on('candidate', (candidate) => events.push(candidate.resumed));
      const optimized = await context({ lm: simulatorLM() }, () => resumed.compile(task.program(), data));
      expect(optimized.dumpState()).toEqual(uninterrupted);
      expect(events.slice(0, journaled.length).every(Boolean)).toBe(true);
    } finally {
      await again.close();
    }
  });
});
