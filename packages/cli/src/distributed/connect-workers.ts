/**
 * `--workers <redis url>`: the coordinator's connection to `sigil worker` processes — an evaluation backend
 * for the task's queue and the shared Redis cache tier for the coordinator's own LM calls.
 */
import type { EvaluationBackend, LMResponse } from '@sigil/core';
import type { ResponseCache } from '@sigil/core/internal';
import type { LoadedTask } from '../task-loader/load-task';
import { requireDistributed } from './distributed-package';

/** A connected coordinator. */
export interface ConnectedWorkers {
  backend: EvaluationBackend & { readonly location: string };
  /** The Redis cache tier, unless `--no-cache`. */
  cache?: ResponseCache<LMResponse>;
  close(): Promise<void>;
}

export async function connectWorkers(
  task: LoadedTask,
  redis: string,
  flags: { batchSize?: number; cache?: boolean },
): Promise<ConnectedWorkers> {
  const distributed = requireDistributed('--workers');
  const backend = await distributed.DistributedEvaluator.connect({
    redis,
    task: { name: task.name, program: () => task.makeProgram(), metric: task.metric },
    batchSize: flags.batchSize,
  });
  const cache = flags.cache === false ? undefined : distributed.redisCache({ redis, namespace: task.name });
  return {
    backend,
    cache,
    close: async () => {
      await backend.close();
      if (cache) await distributed.redisStoreOf(cache)?.close();
    },
  };
}
