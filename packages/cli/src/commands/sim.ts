/**
 * `sigil sim <task>`: serves the task simulator on 127.0.0.1 with the answers of the task's trainset and
 * valset, until SIGINT. A simulator, not a model: it shows the workflow and exercises optimizers offline.
 */
import { type Example } from '@sigil/core';
import type { SimulatedItem } from '@sigil/testing';
import { type CliIO, writeLine } from '../cli-io';
import { requireTesting } from '../lm/testing-package';
import { loadTask } from '../task-loader/load-task';

export interface SimFlags {
  port: number;
  seed?: number;
}

export async function simCommand(taskFile: string, flags: SimFlags, io: CliIO): Promise<void> {
  const { serveSimulator, TaskSimulator } = requireTesting('sim');
  const task = await loadTask(taskFile, io.cwd);
  const own = await task.lm().catch(() => undefined);
  // The task's own simulator (with its tuned instructions and proposals) unless another seed is asked for.
  const simulator =
    own instanceof TaskSimulator && flags.seed === undefined
      ? own
      : new TaskSimulator({
          items: itemsOf([...task.trainset, ...(task.hasValset ? task.valset : [])]),
          seed: flags.seed,
        });
  const served = await serveSimulator(simulator, { port: flags.port });
  const examples = task.trainset.length + (task.hasValset ? task.valset.length : 0);
  writeLine(io.stdout, 'Sigil task simulator — a simulator, not a model.');
  writeLine(
    io.stdout,
    `It answers the ${examples} examples of task "${task.name}" correctly with a chance that depends on the prompt ` +
      '(instruction, demos, reasoning); its scores show the workflow, not what a model would score.',
  );
  writeLine(io.stdout);
  writeLine(io.stdout, `Listening at ${served.url}`);
  writeLine(io.stdout, 'Point a run at it from another terminal:');
  writeLine(io.stdout, `  export OPENAI_BASE_URL=${served.url}`);
  writeLine(io.stdout, `  sigil evaluate ${taskFile} --lm openai/${simulator.model}`);
  writeLine(io.stdout, 'Press Ctrl+C to stop.');
  await untilStopped(io.signal);
  await served.stop();
  writeLine(io.stdout, `Stopped after ${served.requests} requests.`);
}

function itemsOf(examples: readonly Example[]): SimulatedItem[] {
  return examples.map((example) => ({
    inputs: example.inputs().toJSON(),
    answers: example.labels().toJSON(),
  }));
}

/** Resolves on SIGINT, SIGTERM or when `signal` aborts. */
function untilStopped(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      signal?.removeEventListener('abort', stop);
      resolve();
    };
    if (signal?.aborted) return resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    signal?.addEventListener('abort', stop);
  });
}
