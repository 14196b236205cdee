/**
 * The coordinator: evaluates the task's program on the workers, then optimizes it with the workers scoring
 * every candidate (the search and the teacher's bootstrap runs stay here). Start the workers first
 * (`npm run worker`, twice).
 */
import 'reflect-metadata';
import { context, Evaluate } from '@sigil/core';
import { DistributedEvaluator } from '@sigil/distributed';
import { BootstrapRandomSearch } from '@sigil/optimize';
import { makeProgram, metric, simulatorLM, trainset, valset } from './task';

export async function coordinate(redis: string): Promise<number> {
  const task = { name: 'distributed-sentiment', program: makeProgram, metric };
  const backend = await DistributedEvaluator.connect({ redis, task, batchSize: 4 });
  try {
    console.log(`Coordinator: task "${task.name}" (version ${backend.fingerprint}) on ${backend.location}`);
    const evaluate = new Evaluate({ devset: valset, metric, progress: false, backend });
    const baseline = await evaluate.run(makeProgram());
    console.log(`Baseline, scored by the workers: ${baseline.score}% over ${baseline.total} examples`);
    const optimizer = new BootstrapRandomSearch({ metric, numCandidatePrograms: 3, seed: 1, backend });
    optimizer.on('candidate', (c) =>
      console.log(`  candidate ${c.index + 1}/${c.total} ${c.label}: ${c.score}%`),
    );
    const optimized = await context({ lm: simulatorLM() }, () =>
      optimizer.compile(makeProgram(), { trainset, valset }),
    );
    const best = await evaluate.run(optimized);
    console.log(`Optimized, scored by the workers: ${best.score}%`);
    return best.score;
  } finally {
    await backend.close();
  }
}

if (require.main === module) {
  coordinate(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').catch((error: unknown) => {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
    process.exit(1);
  });
}
