/**
 * `sigil worker <task> --redis <url>`: a worker process for distributed evaluation and optimization. It
 * loads the task's program and metric, takes the task's jobs from Redis (BullMQ), applies each job's state
 * and runs its batch, until Ctrl-C or SIGTERM, when it finishes the jobs it holds and exits.
 */
import { context } from '@sigil/core';
import { type CliIO, writeLine } from '../cli-io';
import { requireDistributed } from '../distributed/distributed-package';
import { type LMFlags, resolveLM } from '../lm/resolve-lm';
import { loadTask } from '../task-loader/load-task';

export interface WorkerFlags extends LMFlags {
  redis: string;
  jobs?: number;
  lockDuration?: number;
}

export async function workerCommand(taskFile: string, flags: WorkerFlags, io: CliIO): Promise<void> {
  const distributed = requireDistributed('sigil worker');
  const task = await loadTask(taskFile, io.cwd);
  const sharedCache =
    flags.cache === false ? undefined : distributed.redisCache({ redis: flags.redis, namespace: task.name });
  const resolved = await resolveLM(task, flags, io, sharedCache);
  const worker = await context({ lmMiddleware: resolved.middleware }, () =>
    distributed.EvaluationWorker.start({
      redis: flags.redis,
      task: { name: task.name, program: () => task.makeProgram(), metric: task.metric },
      lm: resolved.lm,
      jobs: flags.jobs,
      lockDurationMs: flags.lockDuration,
      onJob: ({ id, examples, phase }) => {
        if (phase === 'refused')
          writeLine(io.stderr, `Refused job ${id}: made for another version of the task.`);
        else if (phase === 'done') writeLine(io.stdout, `Job ${id}: ${examples} examples`);
      },
    }),
  );
  writeLine(
    io.stdout,
    `Worker ${worker.name} ready: task "${task.name}" (version ${worker.fingerprint}) from ` +
      `${distributed.redactRedisUrl(flags.redis)}, ${flags.jobs ?? 4} jobs at once`,
  );
  writeLine(io.stdout, `LM: ${resolved.description}`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    io.signal?.addEventListener('abort', stop, { once: true });
  });
  writeLine(io.stdout, 'Stopping: finishing the jobs in hand.');
  await worker.close();
  if (sharedCache) await distributed.redisStoreOf(sharedCache)?.close();
}
