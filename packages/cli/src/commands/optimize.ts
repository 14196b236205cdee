/**
 * `sigil optimize <task>`: states the estimate, runs the optimizer with progress, saves the optimized
 * state (`--out`), prints a summary table and, with `--report`, writes the HTML report. Every finished
 * candidate goes to a journal next to `--out`, so a killed run continues with `--resume`.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import Table from 'cli-table3';
import { context, type Module, predictorsOf } from '@sigil/core';
import { type OptimizationReport, reportOf } from '@sigil/optimize';
import { type CliIO, writeLine } from '../cli-io';
import { CliError, OptionError } from '../errors';
import { formatCost, formatCount, formatDuration, formatScore } from '../format-numbers';
import { CallMeter } from '../lm/call-meter';
import { type LMFlags, resolveLM, resolveReflectionLM } from '../lm/resolve-lm';
import {
  buildOptimizer,
  checkOptimizerFlags,
  describeOptimizer,
  type OptimizerFlags,
} from '../optimize/build-optimizer';
import { showProgress } from '../optimize/progress';
import { RunRecorder } from '../optimize/run-recorder';
import { renderHtmlReport } from '../report/html-report';
import type { ReportPredictor } from '../report/report-data';
import { type LoadedTask, loadTask } from '../task-loader/load-task';
import { type ConnectedWorkers, connectWorkers } from '../distributed/connect-workers';
import { writeStateFile } from '@sigil/core/internal';

export interface OptimizeFlags extends LMFlags, OptimizerFlags {
  /** A Redis URL: candidates are evaluated by `sigil worker` processes. */
  workers?: string;
  batchSize?: number;
  out?: string;
  journal?: string;
  resume?: boolean;
  fresh?: boolean;
  report?: string;
}

export async function optimizeCommand(taskFile: string, flags: OptimizeFlags, io: CliIO): Promise<void> {
  if (flags.resume && flags.fresh) {
    throw new OptionError('--resume and --fresh contradict each other: continue the journal, or replace it.');
  }
  checkOptimizerFlags(flags);
  const task = await loadTask(taskFile, io.cwd);
  const out = flags.out ?? path.join('optimized', `${task.name}.json`);
  const journal = flags.journal ?? defaultJournalPath(out);
  const interrupt = new AbortController();
  const workers = flags.workers ? await connectWorkers(task, flags.workers, flags) : undefined;
  try {
    await optimizeWith(task, flags, io, { out, journal, interrupt, workers });
  } finally {
    await workers?.close();
  }
}

async function optimizeWith(
  task: LoadedTask,
  flags: OptimizeFlags,
  io: CliIO,
  run: { out: string; journal: string; interrupt: AbortController; workers?: ConnectedWorkers },
): Promise<void> {
  const { out, journal, interrupt, workers } = run;
  const resolvePath = (file: string) => path.resolve(io.cwd, file);
  const reflective = flags.optimizer === 'gepa' || flags.optimizer === 'simba';
  const reflection = reflective ? await resolveReflectionLM(task, flags, io) : undefined;
  const optimizer = buildOptimizer(flags, task.metric, {
    journal: resolvePath(journal),
    resume: flags.resume ?? false,
    fresh: flags.fresh ?? false,
    signal: interrupt.signal,
    reflectionLM: reflection?.lm,
    backend: workers?.backend,
  });
  const resolved = await resolveLM(task, flags, io, workers?.cache);
  const program = await task.makeProgram();
  const data = { trainset: task.trainset, valset: task.hasValset ? task.valset : undefined };
  const estimate = optimizer.estimate(program, data);

  writeLine(io.stdout, `Optimizing task "${task.name}" with ${describeOptimizer(flags, optimizer)}`);
  writeLine(
    io.stdout,
    `Data: ${task.trainset.length} training examples, ${task.hasValset ? `${task.valset.length} validation examples` : 'no valset (scored on the trainset)'}`,
  );
  writeLine(io.stdout, `LM: ${resolved.description}`);
  if (reflection) writeLine(io.stdout, `Reflection LM: ${reflection.description}`);
  if (workers) writeLine(io.stdout, `Workers: sigil worker processes on ${workers.backend.location}`);
  writeLine(
    io.stdout,
    `Estimate: about ${formatCount(estimate.lmCalls)} LM calls, at most ${formatCount(estimate.maxLmCalls)} ` +
      `(${formatCount(estimate.programCalls)} program calls at most; cached answers are free)`,
  );
  if (estimate.metricCalls !== undefined) {
    writeLine(io.stdout, `Budget in metric calls (GEPA's own unit): ${formatCount(estimate.metricCalls)}`);
  }
  for (const step of estimate.steps) {
    writeLine(
      io.stdout,
      `  ${step.name.padEnd(40)} ${formatCount(step.programCalls).padStart(8)} program calls`,
    );
  }
  const limits = [
    flags.budgetCalls !== undefined && `${formatCount(flags.budgetCalls)} paid calls`,
    flags.budgetCost !== undefined && formatCost(flags.budgetCost),
  ].filter(Boolean);
  if (limits.length > 0) writeLine(io.stdout, `Budget: ${limits.join(', ')}`);
  if (flags.resume && !existsSync(resolvePath(journal))) {
    writeLine(io.stdout, `Journal: ${journal} does not exist yet — nothing to resume, starting fresh.`);
  } else {
    writeLine(
      io.stdout,
      `Journal: ${journal}${flags.resume ? ' (resuming: finished work is read back)' : ' (continue a killed run with --resume)'}`,
    );
  }

  const meter = new CallMeter();
  const recorder = new RunRecorder(meter);
  recorder.attach(optimizer);
  const progress = showProgress(io, optimizer, recorder, meter, estimate);
  const stopInterrupts = onInterrupt(io, interrupt, journal);
  let optimized: Module;
  try {
    optimized = await context(
      { lm: resolved.lm, lmMiddleware: [...resolved.middleware, meter.middleware] },
      () => optimizer.compile(program, data),
    );
  } finally {
    stopInterrupts();
    progress.finish();
  }
  const report = reportOf(optimized);
  if (!report) throw new CliError(`${optimizer.name} returned a program without a report.`);
  await saveResult(optimized, report, resolvePath(out));
  if (flags.report) {
    const html = renderHtmlReport({
      task: task.name,
      taskFile: path.relative(io.cwd, task.file) || task.file,
      optimizer: describeOptimizer(flags, optimizer),
      lm: resolved.description,
      outFile: out,
      generatedAt: new Date(),
      report,
      points: recorder.points,
      predictors: reportPredictors(optimized),
    });
    await mkdir(path.dirname(resolvePath(flags.report)), { recursive: true });
    await writeFile(resolvePath(flags.report), html, 'utf8');
  }
  writeLine(io.stdout);
  io.stdout.write(`${summaryTable(report)}\n`);
  if (report.stoppedBy === 'budget') {
    writeLine(
      io.stdout,
      'The budget ran out: the best program found so far was kept. Raise it and --resume to go on.',
    );
  }
  const unparsable = report.search?.unparsableProposals ?? 0;
  if (unparsable > 0) {
    writeLine(
      io.stdout,
      `${unparsable} instruction proposal${unparsable === 1 ? '' : 's'} came back in no usable format and ${unparsable === 1 ? 'was' : 'were'} skipped.`,
    );
  }
  if (report.metricErrors > 0) {
    writeLine(
      io.stdout,
      `The metric threw on ${report.metricErrors} example${report.metricErrors === 1 ? '' : 's'}; each was scored 0 (--metric-errors score-zero).`,
    );
  }
  if (flags.report) writeLine(io.stdout, `Wrote the HTML report to ${flags.report}`);
  if (report.stoppedBy === 'interrupted') {
    throw new CliError(
      `Interrupted: saved the best program so far to ${out} (marked partial in metadata.sigil.partial). ` +
        `The journal ${journal} keeps every finished step — continue with --resume.`,
      { exitCode: 130 },
    );
  }
  writeLine(
    io.stdout,
    `Saved the optimized program to ${out}${report.stoppedBy === 'completed' ? '' : ' (partial)'}`,
  );
}

/**
 * Saves the program; a run that did not complete (budget, Ctrl-C) is marked partial in Sigil's metadata
 * section, which DSPy ignores.
 */
async function saveResult(program: Module, report: OptimizationReport, file: string): Promise<void> {
  const state = program.dumpState();
  if (report.stoppedBy !== 'completed') {
    state.metadata.sigil = {
      ...state.metadata.sigil!,
      partial: { stoppedBy: report.stoppedBy, bestScore: report.bestScore, at: new Date().toISOString() },
    };
  }
  await writeStateFile(file, state);
}

/**
 * Ctrl-C (or the caller's signal) interrupts the run gracefully: no new LM call, the calls in flight finish,
 * and the best program so far is saved. A second Ctrl-C quits at once, saying where the journal is.
 */
function onInterrupt(io: CliIO, interrupt: AbortController, journal: string): () => void {
  let count = 0;
  const onSigint = () => {
    count++;
    if (count === 1) {
      writeLine(
        io.stderr,
        '\nInterrupted: finishing the calls in flight, then saving the best program so far (Ctrl-C again to quit at once).',
      );
      interrupt.abort();
      return;
    }
    writeLine(io.stderr, `Quit. The journal ${journal} keeps every finished step — continue with --resume.`);
    process.exit(130);
  };
  const fromCaller = () => {
    if (!interrupt.signal.aborted) onSigint();
  };
  process.on('SIGINT', onSigint);
  io.signal?.addEventListener('abort', fromCaller, { once: true });
  return () => {
    process.off('SIGINT', onSigint);
    io.signal?.removeEventListener('abort', fromCaller);
  };
}

/** `optimized/rag.json` → `optimized/rag.journal.jsonl`. */
export function defaultJournalPath(out: string): string {
  const extension = path.extname(out);
  return `${extension === '.json' ? out.slice(0, -extension.length) : out}.journal.jsonl`;
}

function summaryTable(report: OptimizationReport): string {
  const table = new Table({ style: { head: [], border: [] } });
  const { calls, usage } = report;
  table.push(
    { 'Baseline score': formatScore(report.baselineScore) },
    { 'Optimized score': formatScore(report.bestScore) },
    {
      'LM calls': `${formatCount(calls.total)} (paid ${formatCount(calls.paid)}, cached ${formatCount(calls.cached)}, failed ${formatCount(calls.failed)})`,
    },
    {
      Tokens: `${formatCount(usage.totalTokens)} (prompt ${formatCount(usage.promptTokens)}, completion ${formatCount(usage.completionTokens)})`,
    },
    { Cost: formatCost(report.cost) },
    { 'Wall time': formatDuration(report.durationMs) },
  );
  return table.toString();
}

function reportPredictors(program: Module): ReportPredictor[] {
  return predictorsOf(program).map((p) => ({
    path: p.path,
    signature: p.instructions.signature.name,
    instructions: p.instructions.get(),
    demos: p.demos.get().map((demo) => ({ ...demo })),
  }));
}
