/** `sigil evaluate <task>`: the valset score of the program (optionally with a saved state), with a table. */
import * as path from 'node:path';
import { context, Evaluate, type EvaluationResult } from '@sigil/core';
import { formatResultsTable } from '@sigil/core/internal';
import { type CliIO, isInteractive, writeLine } from '../cli-io';
import { formatCost, formatCount, formatDuration, formatScore } from '../format-numbers';
import { CallMeter } from '../lm/call-meter';
import { type LMFlags, resolveLM } from '../lm/resolve-lm';
import { type LoadedTask, loadTask } from '../task-loader/load-task';
import { type ConnectedWorkers, connectWorkers } from '../distributed/connect-workers';
import { loadProgram } from './load-program';
import { allowedErrors, type ErrorAllowance } from '../option-parsers';
import { CliError } from '../errors';

export interface EvaluateFlags extends LMFlags {
  state?: string;
  concurrency?: number;
  /** Rows (and failures) shown in the tables; 0 for none. */
  table: number;
  results?: string;
  maxErrors?: ErrorAllowance;
  /** A Redis URL: examples are evaluated by `sigil worker` processes. */
  workers?: string;
  batchSize?: number;
}

export async function evaluateCommand(taskFile: string, flags: EvaluateFlags, io: CliIO): Promise<void> {
  const task = await loadTask(taskFile, io.cwd);
  const workers = flags.workers ? await connectWorkers(task, flags.workers, flags) : undefined;
  try {
    await evaluateWith(task, flags, io, workers);
  } finally {
    await workers?.close();
  }
}

async function evaluateWith(
  task: LoadedTask,
  flags: EvaluateFlags,
  io: CliIO,
  workers: ConnectedWorkers | undefined,
): Promise<void> {
  const resolved = await resolveLM(task, flags, io, workers?.cache);
  const program = await loadProgram(task, flags.state, io);
  const meter = new CallMeter();
  const devset = task.valset;
  writeLine(
    io.stdout,
    `Evaluating task "${task.name}" on ${devset.length} ${task.hasValset ? 'valset' : 'trainset (the task has no valset)'} examples`,
  );
  writeLine(io.stdout, `LM: ${resolved.description}`);
  if (flags.state) writeLine(io.stdout, `State: ${flags.state}`);
  if (workers) writeLine(io.stdout, `Workers: sigil worker processes on ${workers.backend.location}`);
  const resultsPath = flags.results ? path.resolve(io.cwd, flags.results) : undefined;
  const report = await context(
    { lm: resolved.lm, lmMiddleware: [...resolved.middleware, meter.middleware] },
    () =>
      new Evaluate({
        devset,
        metric: task.metric,
        concurrency: flags.concurrency,
        resultsPath,
        output: io.stderr,
        progress: isInteractive(io.stderr) ? true : 'auto',
        backend: workers?.backend,
      }).run(program),
  );
  if (flags.table > 0) {
    const failures = report.results.filter(isFailure).slice(0, flags.table);
    io.stdout.write(formatResultsTable(report.results.slice(0, flags.table), failures));
  }
  const { usage, cost } = report;
  const tally = meter.tally;
  writeLine(
    io.stdout,
    `Score: ${formatScore(report.score)} over ${report.total} examples` +
      `${report.errors > 0 ? ` (${report.errors} failed with an error)` : ''} in ${formatDuration(report.durationMs)}`,
  );
  writeLine(
    io.stdout,
    `LM calls: ${formatCount(tally.calls)} (paid ${formatCount(tally.paid)}, cached ${formatCount(tally.cached)}, ` +
      `failed ${formatCount(tally.failed)}) · tokens ${formatCount(usage.totalTokens)} ` +
      `(prompt ${formatCount(usage.promptTokens)}, completion ${formatCount(usage.completionTokens)}) · cost ${formatCost(cost)}`,
  );
  if (flags.results) writeLine(io.stdout, `Results: ${flags.results}`);
  const allowed = allowedErrors(flags.maxErrors ?? { count: 0 }, report.total);
  if (report.errors > allowed) {
    const { lm, program: inProgram, metric } = report.failures;
    const first = report.results.find((r) => r.error !== undefined);
    throw new CliError(
      `${report.errors} of ${report.total} examples failed (LM ${lm}, program ${inProgram}, metric ${metric}), ` +
        `more than --max-errors allows (${allowed}); the score above counts them as 0. First failure, example ` +
        `${first?.index ?? '?'}: ${describeFailure(first?.error)}` +
        (metric > 0
          ? ' — fix the metric.'
          : lm > 0
            ? ' — check the LM endpoint.'
            : ' — check the program with sigil inspect.'),
    );
  }
}

/** As Evaluate's own tables: an error or a zero score. */
function isFailure(result: EvaluationResult): boolean {
  return result.error !== undefined || result.score <= 0;
}

function describeFailure(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
