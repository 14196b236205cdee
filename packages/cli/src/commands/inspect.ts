/**
 * `sigil inspect <task>`: the exact messages each predictor would send for one valset example — no LM is
 * called (a capturing LM answers with placeholders so later predictors run too).
 */
import { contentText, context, predictorsOf } from '@sigil/core';
import { type CliIO, writeLine } from '../cli-io';
import { OptionError } from '../errors';
import { RequestCapture } from '../inspect/capturing-lm';
import { loadTask, messageOf } from '../task-loader/load-task';
import { loadProgram } from './load-program';

export interface InspectFlags {
  state?: string;
  example: number;
  json?: boolean;
}

export async function inspectCommand(taskFile: string, flags: InspectFlags, io: CliIO): Promise<void> {
  const task = await loadTask(taskFile, io.cwd);
  const set = task.hasValset ? 'valset' : 'trainset (the task has no valset)';
  if (flags.example >= task.valset.length) {
    throw new OptionError(
      `--example ${flags.example} is out of range: the ${set} of task "${task.name}" has ${task.valset.length} examples (0–${task.valset.length - 1}).`,
    );
  }
  const program = await loadProgram(task, flags.state, io);
  const capture = new RequestCapture();
  for (const predictor of predictorsOf(program))
    predictor.lm.set(capture.lmFor(predictor.path, () => predictor.lm.signature));
  const inputs = task.valset[flags.example].inputs().toJSON();
  let stopped: unknown;
  try {
    await context({ lm: capture.fallback }, () => program.forward(inputs));
  } catch (error) {
    stopped = error;
  }
  if (flags.json) {
    io.stdout.write(
      `${JSON.stringify({ example: flags.example, inputs, requests: capture.requests }, null, 2)}\n`,
    );
    return;
  }
  writeLine(
    io.stdout,
    `Task "${task.name}", ${set} example ${flags.example}${flags.state ? `, state ${flags.state}` : ''}`,
  );
  writeLine(
    io.stdout,
    'These are the exact messages each predictor sends (its first call; no LM was called).',
  );
  for (const request of capture.requests) {
    writeLine(io.stdout);
    writeLine(
      io.stdout,
      `════ predictor ${request.path} (${request.signature}) — ${request.messages.length} messages ════`,
    );
    for (const message of request.messages) {
      writeLine(io.stdout, `──── ${message.role} ────`);
      writeLine(io.stdout, contentText(message.content));
    }
  }
  if (capture.requests.length === 0) writeLine(io.stdout, 'The program made no LM call for this example.');
  if (stopped !== undefined) {
    writeLine(io.stdout);
    writeLine(
      io.stdout,
      `Note: the program stopped on a placeholder reply (${messageOf(stopped)}); predictors it did not reach are not shown.`,
    );
  }
}
