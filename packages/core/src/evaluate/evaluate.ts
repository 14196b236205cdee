import { Example } from '../data/example';
import { Prediction } from '../data/prediction';
import { addUsage, emptyUsage } from '../lm/types';
import { devsetSource } from './devset-source';
import { EvaluationError } from './errors';
import type { EvaluationBackend } from './backend';
import type { EvaluationReport, EvaluationResult } from './evaluation-result';
import { feedbackOf, scoreOf, type Metric } from './metric';
import { OrderedSink } from './ordered-sink';
import { createProgressDisplay, type EvaluationProgress, type ProgressMode } from './progress';
import { formatResultsTable, isFailure } from './results-table';
import { ResultsWriter } from './results-writer';
import { drainConcurrently } from '../runtime/pool';
import { type FailureCounts, failureKindOf, metricFailure, stopFor } from './failures';
import { checkNumbers, COUNT, FINITE, type NumberRule, POSITIVE_COUNT } from '../errors/option-checks';
import { withLMMiddleware } from '../runtime/settings';
import { ProviderBatcher, type ProviderBatchOptions } from '../lm/batch/provider-batcher';

const EVALUATE_RULES: Record<string, NumberRule> = {
  concurrency: POSITIVE_COUNT,
  failureScore: FINITE,
  maxErrors: { min: 0, infinite: true },
  table: COUNT,
  total: COUNT,
};

/** What Evaluate runs: anything with an async `forward(inputs)` — a Program, a Predict, or a plain object. */
export interface Runnable<I = any, O = any> {
  /** Runs the program on one example's inputs. */
  forward(inputs: I): Promise<O>;
}

/** Options of `Evaluate` (and the per-run overrides of `run`). */
export interface EvaluateOptions<
  E extends Example<any, any> = Example,
  P extends Prediction<any> = Prediction,
> {
  /** The examples, with inputs marked: an array, or a stream such as `streamDataset(...)`. */
  devset: Iterable<E> | AsyncIterable<E>;
  /** Scores each prediction; its declared prediction type `P` is trusted (outputs are not checked). */
  metric: Metric<E, P>;
  /** Examples in flight at once (default 16); the LM client's scheduler is the real limiter. */
  concurrency?: number;
  /** The score of an example whose program or metric threw (default 0). */
  failureScore?: number;
  /** The run stops with an `EvaluationError` when this many examples have failed (default: never). */
  maxErrors?: number;
  /**
   * Stop at once, with the LM's own error, when the endpoint cannot serve (unreachable, refusing the key,
   * no such model, no LM configured) or when the first 5 examples all failed at the LM: a dead endpoint is
   * an error, never a score of 0% (default true).
   */
  failFast?: boolean;
  /** `'stop'`: the first failed LM call ends the run with its error instead of scoring the example (default `'fail-example'`). */
  lmErrors?: 'fail-example' | 'stop';
  /** `'stop'`: a metric that throws ends the run with a `MetricError` naming the example (default `'fail-example'`). */
  metricErrors?: 'fail-example' | 'stop';
  /** A bar on a TTY, plain lines otherwise (`'auto'`, the default, is silent under Jest); false: nothing. */
  progress?: ProgressMode;
  /** After the run, print a table of the first N results and up to N failures (default 0: none). */
  table?: number;
  /** Write every result as a JSONL line to this file, in devset order. */
  resultsPath?: string;
  /** Keep every result in `report.results` (default true). Set false for huge streamed devsets. */
  keepResults?: boolean;
  /** The number of examples, for the progress display when the devset is a stream. */
  total?: number;
  /** Called after each finished example. */
  onProgress?: (state: EvaluationProgress) => void;
  /** Where progress and tables go (default `process.stderr`). */
  output?: NodeJS.WritableStream;
  /** Runs the examples elsewhere, in batches (e.g. `@sigil/distributed`'s workers); default: this process. */
  backend?: EvaluationBackend;
  /**
   * Send the program's LM calls through the provider's Batch API (about half the price; answers take
   * minutes to hours): a `ProviderBatcher` or its options (journal, poll interval, progress). Concurrency
   * then defaults to 10,000, so the examples' calls share batches.
   */
  batch?: ProviderBatcher | ProviderBatchOptions;
}

/** Reorder window per unit of concurrency (see `OrderedSink`), and its floor. */
const WINDOW_PER_WORKER = 32;
const MIN_WINDOW = 1024;
const EMPTY_PREDICTION = Prediction.from({});

/**
 * Runs a program over a devset with a metric, concurrently, as DSPy's `dspy.Evaluate`.
 * @example
 * const report = await new Evaluate({ devset, metric: exactMatch('answer'), table: 5 }).run(program);
 * console.log(report.score); // e.g. 71.25 (percent)
 */
export class Evaluate<E extends Example<any, any> = Example, P extends Prediction<any> = Prediction> {
  constructor(readonly options: EvaluateOptions<E, P>) {
    checkNumbers(options, EVALUATE_RULES, 'Evaluate');
  }

  /** Evaluates `program`; `overrides` replace options for this run only. */
  async run(
    program: Runnable,
    overrides: Partial<EvaluateOptions<E, P>> = {},
  ): Promise<EvaluationReport<E, P>> {
    checkNumbers(overrides, EVALUATE_RULES, 'Evaluate.run');
    const merged = { ...this.options, ...overrides };
    const provider = merged.batch;
    if (provider) {
      const batcher = provider instanceof ProviderBatcher ? provider : new ProviderBatcher(provider);
      const batched = { ...merged, batch: undefined, concurrency: merged.concurrency ?? 10_000 };
      return withLMMiddleware(batcher.middleware, () => this.run(program, batched));
    }
    const options = checkOptions(merged);
    if (!program || typeof program.forward !== 'function') {
      throw new EvaluationError(
        'Evaluate.run needs a program with a forward(inputs) method — pass a Program or Predict.',
      );
    }
    const { metric, failureScore, maxErrors, concurrency, keepResults, table } = options;
    const output = options.output ?? process.stderr;
    const source = devsetSource(options.devset);
    const total = options.total ?? source.total;
    const started = Date.now();
    const results: EvaluationResult<E, P>[] = [];
    const tableRows: EvaluationResult<E, P>[] = [];
    const failures: EvaluationResult<E, P>[] = [];
    const usage = emptyUsage();
    let cost = 0;
    let scoreSum = 0;
    let done = 0;
    let errors = 0;
    const failureCounts: FailureCounts = { lm: 0, program: 0, metric: 0 };
    let succeeded = 0;
    let lastError: unknown;
    const policy = {
      failFast: options.failFast ?? true,
      lmErrors: options.lmErrors ?? 'fail-example',
      metricErrors: options.metricErrors ?? 'fail-example',
    } as const;
    // The error that ends the run early; workers stop pulling once it is set (and a backend is told).
    let stop: unknown;
    const stopped = new AbortController();

    const state = (): EvaluationProgress => ({
      done,
      total,
      score: done === 0 ? 0 : (scoreSum / done) * 100,
      errors,
      usage: { ...usage },
      cost,
      elapsedMs: Date.now() - started,
    });
    const writer = options.resultsPath ? await ResultsWriter.open(options.resultsPath) : undefined;
    const sink = writer
      ? new OrderedSink<EvaluationResult<E, P>>(
          (result) => writer.write(result),
          Math.max(MIN_WINDOW, concurrency * WINDOW_PER_WORKER),
        )
      : undefined;
    const display = createProgressDisplay(options.progress ?? 'auto', output, total);
    const halt = (error: unknown): void => {
      stop ??= error;
      stopped.abort(error);
      sink?.release();
    };

    const record = (result: EvaluationResult<E, P>): void => {
      done++;
      scoreSum += result.score;
      addUsage(usage, result.prediction.usage);
      cost += result.prediction.cost;
      if (result.error === undefined) succeeded++;
      else {
        errors++;
        failureCounts[result.failure ?? 'program']++;
        lastError = result.error;
        const fatal = stopFor(result, { succeeded, lmFailures: failureCounts.lm }, policy);
        if (fatal !== undefined) halt(fatal);
        if (errors >= maxErrors && !stop) {
          halt(
            new EvaluationError(
              `Evaluation stopped after ${errors} failed example${errors === 1 ? '' : 's'} (maxErrors: ${maxErrors}); last error, example ${result.index}: ${describeError(result.error)} — fix the program or raise maxErrors.`,
              { errors, lastError },
            ),
          );
        }
      }
      if (keepResults) results[result.index] = result;
      if (table > 0) keepForTable(result, tableRows, failures, table);
      const progress = state();
      display.update(progress);
      options.onProgress?.(progress);
    };

    let pulled = 0;
    // Pull an example when the reorder window has room; a failure to read the source ends the run.
    const pull = async () => {
      try {
        await sink?.waitForRoom(() => pulled);
        if (stop) return undefined;
        const item = await source.next();
        if (item) pulled++;
        return item ?? undefined;
      } catch (error) {
        halt(error);
        return undefined;
      }
    };
    type Item = NonNullable<Awaited<ReturnType<typeof pull>>>;
    const { backend } = options;
    // One batch fills at a time, so concurrent workers never split the devset into smaller batches.
    let filling: Promise<unknown> = Promise.resolve();
    const pullBatch = (): Promise<Item[] | undefined> => {
      if (!backend) return pull().then((item) => (item ? [item] : undefined));
      const next = filling.then(async () => {
        const batch: Item[] = [];
        for (let item; batch.length < backend.batchSize && (item = await pull());) batch.push(item);
        return batch.length > 0 ? batch : undefined;
      });
      filling = next;
      return next;
    };
    const handle = async (batch: Item[]) => {
      try {
        const bad = batch.find(
          (item) => !Example.isExample(item.example) || item.example.inputKeys.length === 0,
        );
        if (bad) {
          halt(
            new EvaluationError(
              `Devset item ${bad.index} is ${Example.isExample(bad.example) ? 'an Example with no inputs marked' : 'not an Example'} — build examples with Example.from(row).withInputs('question', …) or loadDataset.`,
            ),
          );
          return;
        }
        const results = backend
          ? await backend.evaluateBatch(batch, { program, metric, failureScore, signal: stopped.signal })
          : [await evaluateOne(program, batch[0].example, batch[0].index, metric, failureScore)];
        for (const result of results) {
          record(result as EvaluationResult<E, P>);
          await sink?.add(result as EvaluationResult<E, P>);
        }
      } catch (error) {
        halt(error);
      }
    };

    try {
      await drainConcurrently(backend?.concurrency ?? concurrency, pullBatch, handle, () => Boolean(stop));
    } finally {
      stopped.abort();
      await source.close();
      await writer?.close();
      display.finish(state());
    }
    if (stop) {
      // The results array is indexed by example, so filtering drops the holes and keeps devset order.
      if (stop instanceof EvaluationError) stop.results = results.filter(() => true);
      throw stop;
    }
    if (table > 0) output.write(formatResultsTable(tableRows, failures));
    return {
      score: done === 0 ? 0 : Math.round((scoreSum / done) * 100 * 100) / 100,
      results,
      total: done,
      errors,
      failures: failureCounts,
      usage,
      cost,
      durationMs: Date.now() - started,
    };
  }
}

async function evaluateOne<E extends Example<any, any>, P extends Prediction<any>>(
  program: Runnable,
  example: E,
  index: number,
  metric: Metric<E, P>,
  failureScore: number,
): Promise<EvaluationResult<E, P>> {
  let prediction = EMPTY_PREDICTION as P;
  try {
    prediction = toPrediction(await program.forward(example.inputs().toJSON())) as P;
  } catch (error) {
    return { index, example, prediction, score: failureScore, error, failure: failureKindOf(error) };
  }
  try {
    const value = await metric(example, prediction);
    return { index, example, prediction, score: scoreOf(value), feedback: feedbackOf(value) };
  } catch (error) {
    const failure = metricFailure(index, error);
    return { index, example, prediction, score: failureScore, error: failure, failure: 'metric' };
  }
}

function toPrediction(output: unknown): Prediction {
  if (Prediction.isPrediction(output)) return output;
  if (output !== null && typeof output === 'object' && !Array.isArray(output)) return Prediction.from(output);
  throw new EvaluationError(
    `The program's forward returned ${output === null ? 'null' : Array.isArray(output) ? 'an array' : typeof output} — return an object of outputs or a Prediction.`,
  );
}

/** The first `limit` rows by index, and the `limit` failures with the lowest index. */
function keepForTable<R extends EvaluationResult<any>>(
  result: R,
  rows: R[],
  failures: R[],
  limit: number,
): void {
  if (result.index < limit) {
    rows.push(result);
    rows.sort((a, b) => a.index - b.index);
  }
  if (isFailure(result)) {
    failures.push(result);
    failures.sort((a, b) => a.index - b.index);
    if (failures.length > limit) failures.pop();
  }
}

type CheckedOptions<E extends Example<any, any>, P extends Prediction<any>> = EvaluateOptions<E, P> &
  Required<
    Pick<EvaluateOptions<E, P>, 'concurrency' | 'failureScore' | 'maxErrors' | 'keepResults' | 'table'>
  >;

function checkOptions<E extends Example<any, any>, P extends Prediction<any>>(
  options: EvaluateOptions<E, P>,
): CheckedOptions<E, P> {
  const checked = {
    ...options,
    concurrency: options.concurrency ?? 16,
    failureScore: options.failureScore ?? 0,
    maxErrors: options.maxErrors ?? Infinity,
    keepResults: options.keepResults ?? true,
    table: options.table ?? 0,
  };
  if (typeof checked.metric !== 'function') {
    throw new EvaluationError(
      'Evaluate needs a metric function (example, prediction) => score — e.g. exactMatch("answer").',
    );
  }
  if (!Number.isInteger(checked.concurrency) || checked.concurrency < 1) {
    throw new EvaluationError(
      `Evaluate: concurrency must be a whole number ≥ 1, got ${checked.concurrency}.`,
    );
  }
  if (!(checked.maxErrors >= 0)) {
    throw new EvaluationError(`Evaluate: maxErrors must be ≥ 0 (or Infinity), got ${checked.maxErrors}.`);
  }
  if (!Number.isInteger(checked.table) || checked.table < 0) {
    throw new EvaluationError(`Evaluate: table must be a whole number of rows ≥ 0, got ${checked.table}.`);
  }
  return checked;
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
