/**
 * The `sigil` command line: commander parses, the commands in `commands/` act. `runCli` runs in-process
 * with its own streams, environment and folder, and returns the exit code instead of exiting.
 */
import { Command, CommanderError, Option } from 'commander';
import { type CliIO, writeLine } from './cli-io';
import { evaluateCommand } from './commands/evaluate';
import { inspectCommand } from './commands/inspect';
import { optimizeCommand } from './commands/optimize';
import { simCommand } from './commands/sim';
import { workerCommand } from './commands/worker';
import { MetricError } from '@sigil/core';
import { CliError } from './errors';
import { AUTO_NAMES, OPTIMIZER_NAMES } from './optimize/build-optimizer';
import { errorAllowance, nonNegativeNumber, wholeNumber } from './option-parsers';

/** Where `runCli` reads and writes (each defaults to the process's own). */
export type RunCliOptions = Partial<CliIO>;

const VERSION = '0.1.0';

/**
 * Runs the `sigil` command line and resolves to its exit code (0 success, 1 failure, 2 bad usage).
 * @example process.exitCode = await runCli(process.argv.slice(2));
 */
export async function runCli(argv: readonly string[], options: RunCliOptions = {}): Promise<number> {
  const io: CliIO = {
    stdout: options.stdout ?? process.stdout,
    stderr: options.stderr ?? process.stderr,
    env: options.env ?? process.env,
    cwd: options.cwd ?? process.cwd(),
    signal: options.signal,
  };
  const verbose = argv.includes('--verbose');
  try {
    await buildProgram(io).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message (or the help) to stderr/stdout.
      return error.exitCode === 0 ? 0 : 2;
    }
    reportError(error, io, verbose);
    return error instanceof CliError ? error.exitCode : 1;
  }
}

/** Shown under every command's help (issue 16, F17). */
const TASK_FILES_ARE_CODE =
  '\nThe task file is code: loading it runs it (its imports and top-level statements) with your ' +
  'permissions, for every command — inspect too, which calls no LM but still runs the file. Only run ' +
  'task files you trust.';

function buildProgram(io: CliIO): Command {
  const program = new Command('sigil')
    .description('Evaluate, optimize and inspect Sigil programs described by a task file.')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });

  withLMOptions(
    program
      .command('evaluate')
      .description("Score the task's program on its valset (the trainset when it has none).")
      .argument('<task>', 'task file (.ts or .js) exporting defineTask(...)')
      .option('--state <file>', 'apply a saved program state (JSON) first')
      .option('--concurrency <n>', 'examples in flight at once (default 16)', wholeNumber(1))
      .option('--table <n>', 'rows of the results and failures tables (0: none)', wholeNumber(0), 5)
      .option('--results <file>', 'write every result as a JSONL line')
      .option(
        '--max-errors <n>',
        'failed examples (LM, program or metric errors) tolerated before the run fails: a count or a share like 5% (default 0)',
        errorAllowance,
      )
      .option(
        '--workers <redis-url>',
        'evaluate on sigil worker processes through this Redis (needs @sigil/distributed)',
      )
      .option('--batch-size <n>', 'examples per worker job with --workers (default 8)', wholeNumber(1)),
  )
    .addHelpText('after', TASK_FILES_ARE_CODE)
    .action((task: string, flags) => evaluateCommand(task, flags, io));

  withLMOptions(
    program
      .command('optimize')
      .description("Optimize the task's program, save its state and print a summary.")
      .argument('<task>', 'task file (.ts or .js) exporting defineTask(...)')
      .addOption(new Option('--optimizer <name>', 'the optimizer').choices(OPTIMIZER_NAMES).default('mipro'))
      .addOption(new Option('--auto <preset>', 'MIPRO or GEPA preset (default light)').choices(AUTO_NAMES))
      .option(
        '--budget-calls <n>',
        'stop after this many paid LM calls (keeps the best so far)',
        wholeNumber(0),
      )
      .option('--budget-cost <usd>', 'stop after spending this many US dollars', nonNegativeNumber)
      .option('--seed <n>', 'seed of every random choice (default 0)', wholeNumber(0))
      .option('--concurrency <n>', 'examples in flight in evaluations (default 8)', wholeNumber(1))
      .option('--trials <n>', 'MIPRO search trials (default: from the preset)', wholeNumber(1))
      .option(
        '--candidates <n>',
        'MIPRO instruction candidates / random-search candidate programs / SIMBA candidates per step',
        wholeNumber(1),
      )
      .option('--max-metric-calls <n>', 'GEPA budget in metric calls (instead of --auto)', wholeNumber(1))
      .option('--steps <n>', 'SIMBA steps (default 8)', wholeNumber(1))
      .option(
        '--reflection-lm <model>',
        "GEPA's reflection model / SIMBA's rule model, e.g. openai/gpt-4.1 (default: the task's reflectionLM)",
      )
      .option('--out <file>', 'where to save the optimized state (default optimized/<task>.json)')
      .option('--journal <file>', 'journal of finished work (default <out without .json>.journal.jsonl)')
      .option('--resume', 'continue the run recorded in the journal')
      .option('--fresh', 'replace the journal of an earlier run and start over')
      .option(
        '--max-errors <n>',
        'teacher runs that may fail (a reply the program cannot use) before bootstrapping stops (default 10)',
        wholeNumber(0),
      )
      .addOption(
        new Option(
          '--metric-errors <policy>',
          'a metric that throws: stop the run, or score the example 0 and count it',
        )
          .choices(['stop', 'score-zero'])
          .default('stop'),
      )
      .option('--report <file>', 'write a self-contained HTML report (chart, instructions, trials)')
      .option(
        '--workers <redis-url>',
        'evaluate candidates on sigil worker processes through this Redis (needs @sigil/distributed)',
      )
      .option('--batch-size <n>', 'examples per worker job with --workers (default 8)', wholeNumber(1)),
  )
    .addHelpText('after', TASK_FILES_ARE_CODE)
    .action((task: string, flags) => optimizeCommand(task, flags, io));

  withLMOptions(
    program
      .command('worker')
      .description("Run the task's evaluation jobs from Redis for sigil optimize --workers (until Ctrl+C).")
      .argument('<task>', "task file (.ts or .js) exporting defineTask(...), the coordinator's")
      .requiredOption('--redis <url>', 'the Redis the coordinator uses, e.g. redis://127.0.0.1:6379')
      .option('--jobs <n>', 'jobs run at once (default 4)', wholeNumber(1))
      .option(
        '--lock-duration <ms>',
        "how long a job's lock lasts unless renewed: a dead worker's job is re-run after it (default 30000)",
        wholeNumber(1000),
      ),
  )
    .addHelpText('after', TASK_FILES_ARE_CODE)
    .action((task: string, flags) => workerCommand(task, flags, io));

  program
    .command('inspect')
    .description('Print the exact messages each predictor would send for one valset example (no LM call).')
    .argument('<task>', 'task file (.ts or .js) exporting defineTask(...)')
    .option('--state <file>', 'apply a saved program state (JSON) first')
    .option('--example <n>', 'index of the valset example', wholeNumber(0), 0)
    .option('--json', 'print the messages as JSON')
    .option('--verbose', 'print stack traces of errors')
    .addHelpText('after', TASK_FILES_ARE_CODE)
    .action((task: string, flags) => inspectCommand(task, flags, io));

  program
    .command('sim')
    .description('Serve the task simulator (a simulator, not a model) on 127.0.0.1 until Ctrl+C.')
    .argument('<task>', 'task file whose trainset and valset answers it knows')
    .option('--port <n>', 'port to listen on (0: any free one)', wholeNumber(0), 8787)
    .option('--seed <n>', "the simulator's seed (default: the task's simulator, else 0)", wholeNumber(0))
    .option('--verbose', 'print stack traces of errors')
    .addHelpText('after', TASK_FILES_ARE_CODE)
    .action((task: string, flags) => simCommand(task, flags, io));

  return program;
}

/** The LM options of commands that call one. */
function withLMOptions(command: Command): Command {
  return command
    .option('--lm <model>', "model to use, e.g. openai/gpt-4o-mini (default: $SIGIL_LM, else the task's lm)")
    .option('--cache-dir <dir>', 'folder of the LM response cache (default .sigil/cache)')
    .option('--no-cache', 'do not read or write the LM response cache')
    .option('--verbose', 'print stack traces of errors');
}

function reportError(error: unknown, io: CliIO, verbose: boolean): void {
  const message =
    error instanceof CliError
      ? error.message
      : error instanceof Error
        ? `${error.name}: ${error.message}`
        : String(error);
  writeLine(io.stderr, `sigil: ${message}`);
  // A metric's own failure is the user's code: show where it threw even without --verbose.
  if (!verbose && MetricError.isInstance(error) && error.cause instanceof Error && error.cause.stack) {
    writeLine(io.stderr, error.cause.stack);
  }
  if (!verbose) return;
  let current: unknown = error;
  while (current instanceof Error) {
    if (current.stack) writeLine(io.stderr, current.stack);
    current = current.cause;
    if (current !== undefined) writeLine(io.stderr, 'Caused by:');
  }
}
