// A worker process of the distributed tests: runs the sentiment task's jobs until killed.
import { configure } from '@sigil/core';
import { EvaluationWorker } from '@sigil/distributed';
import { simulatorLM, task } from './sentiment-task';

const [redis, delayMs, taskName] = process.argv.slice(2);
configure({ lm: simulatorLM(Number(delayMs ?? 0)) });
void EvaluationWorker.start({
  redis,
  task: { ...task, name: taskName ?? task.name },
  jobs: 2,
  lockDurationMs: 1_000,
  stalledIntervalMs: 500,
  onJob: ({ id, phase }) => console.log(JSON.stringify({ job: id, phase, pid: process.pid })),
}).then(
  (worker) => {
    console.log(JSON.stringify({ ready: true, fingerprint: worker.fingerprint }));
    process.on('SIGTERM', () => void worker.close().then(() => process.exit(0)));
  },
  (error: Error) => {
    console.log(JSON.stringify({ error: error.message }));
    process.exit(1);
  },
);
