import { context, Evaluate, Predict } from '@sigil/core';
import {
  DistributedError,
  DistributedEvaluator,
  EvaluationWorker,
  RedisUnavailableError,
} from '@sigil/distributed';
import { freePort, startRedisServer, type RedisServer } from '@sigil/distributed/internal';
import { type Child, startChild } from '../support/child';
import { metric, SentimentWithConfidence, simulatorLM, task, valset } from '../support/sentiment-task';

jest.setTimeout(90_000);

let redis: RedisServer;
const workers: Child[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  for (let i = 0; i < 2; i++) workers.push(startChild('worker-child.ts', [redis.url, '20']));
  await Promise.all(workers.map((worker) => worker.waitFor((m) => m.ready || m.error)));
});

afterAll(async () => {
  for (const worker of workers) await worker.kill();
  await redis.stop();
});

describe('distributed Evaluate', () => {
  it('gives the same scores, outputs and order as a run in one process, with the work spread over the workers', async () => {
    const program = task.program();
    const local = await context({ lm: simulatorLM() }, () =>
      new Evaluate({ devset: valset, metric, progress: false }).run(program),
    );
    const backend = await DistributedEvaluator.connect({ redis: redis.url, task, batchSize: 3 });
    const seen: number[] = [];
    try {
      const remote = await new Evaluate({
        devset: valset,
        metric,
        progress: false,
        onProgress: (p) => seen.push(p.done),
      }).run(program, { backend });
      expect(remote.score).toBe(local.score);
      expect(remote.results.map((r) => r.index)).toEqual(valset.map((_, i) => i));
      expect(remote.results.map((r) => [r.score, r.prediction.toJSON()])).toEqual(
        local.results.map((r) => [r.score, r.prediction.toJSON()]),
      );
      expect(remote.usage).toEqual(local.usage);
      expect(seen).toEqual(valset.map((_, i) => i + 1));
    } finally {
      await backend.close();
    }
    const ran = new Set(
      workers.flatMap((w) => w.messages.filter((m) => m.phase === 'done').map((m) => m.pid)),
    );
    expect(ran.size).toBe(2);
  });

  it('fails with DISTRIBUTED_TASK_MISMATCH when a worker runs another version of the task', async () => {
    const stale = await EvaluationWorker.start({
      redis: redis.url,
      task: { name: 'stale', program: () => new Predict(SentimentWithConfidence), metric },
      lm: simulatorLM(),
    });
    const backend = await DistributedEvaluator.connect({
      redis: redis.url,
      task: { ...task, name: 'stale' },
    });
    try {
      const failure = await new Evaluate({ devset: valset, metric, progress: false, backend })
        .run(task.program())
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(DistributedError);
      expect((failure as DistributedError).code).toBe('DISTRIBUTED_TASK_MISMATCH');
      expect((failure as Error).message).toContain(stale.fingerprint);
      expect((failure as Error).message).toContain(backend.fingerprint);
    } finally {
      await backend.close();
      await stale.close();
    }
  });

  it('says which Redis it cannot reach at start, without its password', async () => {
    const url = `redis://:hunter2@127.0.0.1:${await freePort()}`;
    const failure = await DistributedEvaluator.connect({ redis: url, task, connectTimeoutMs: 1_000 }).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(RedisUnavailableError);
    expect((failure as RedisUnavailableError).code).toBe('REDIS_UNAVAILABLE');
    expect((failure as Error).message).toContain(url.replace('hunter2', '***'));
    expect((failure as Error).message).not.toContain('hunter2');
  });
});
