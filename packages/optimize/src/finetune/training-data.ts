import {
  type Adapter,
  ChatAdapter,
  type ChatMessage,
  type Example,
  type Metric,
  type Module,
  predictorsOf,
  type Settings,
  settings,
  traced,
} from '@sigil/core';
import { failureKindOf, MetricError, metricFailure, scoreOf } from '@sigil/core/internal';
import { mapConcurrently } from '@sigil/core/internal';
import { OptimizerError } from '../optimizer/errors';
import type { OptimizerRun } from '../optimizer/run';
import { FinetuneError } from './errors';

/** One line of chat fine-tuning data: the messages the adapter sends, then the assistant's reply. */
export interface TrainingRow {
  messages: ChatMessage[];
}

/** A teacher run on one training example, as the journal keeps it. */
export interface TracedRun {
  /** The metric's score (undefined without a metric). */
  score?: number;
  /** Whether the run is kept for training: it completed and the metric accepted it. */
  kept: boolean;
  /** One row per predictor call of the run, in call order, with the predictor's path. */
  rows: { path: string; row: TrainingRow }[];
}

/** How teacher runs are made and judged. */
export interface TraceOptions {
  metric?: Metric;
  /** A run is kept when its score is ≥ this; by default when it is true or > 0 (DSPy keeps truthy scores). */
  metricThreshold?: number;
  teacherSettings?: Partial<Settings>;
  /** The adapter that writes the data (default: the predictor's, else the configured one, else ChatAdapter). */
  adapter?: Adapter;
  /** Leave the predictors' demos out of the training prompts (DSPy's `exclude_demos`). */
  excludeDemos: boolean;
  /** Teacher runs that may throw (not LM failures) before collecting gives up. */
  maxErrors: number;
}

/** What a traced predictor call exposes to the data writer (Predict has all of it). */
interface TracedPredictor {
  promptSignature(): Parameters<Adapter['format']>[0];
  demos: Parameters<Adapter['format']>[1];
  adapter?: Adapter;
}

let defaultAdapter: ChatAdapter | undefined;

/**
 * DSPy's `bootstrap_trace_data`: runs the teacher on every training example under a trace (concurrently,
 * each run journaled), scores it with the metric, and turns each predictor call into a line of training
 * data with the adapter's `formatFinetuneData` — the very messages that call sent, plus its outputs as the
 * assistant's reply. Returns the runs in trainset order; undefined when the budget cut collection short.
 */
export async function traceTeacher(
  run: OptimizerRun,
  teacher: Module,
  trainset: readonly Example<any, any>[],
  options: TraceOptions,
): Promise<TracedRun[] | undefined> {
  const paths = new Map<object, string>();
  for (const predictor of predictorsOf(teacher)) paths.set(predictor.demos.owner, predictor.path);
  let errors = 0;
  const once = async (index: number): Promise<TracedRun | 'failed' | undefined> => {
    if (run.outOfBudget) return undefined;
    const example = trainset[index];
    try {
      return await run.withTeacherSettings(options.teacherSettings, async () => {
        const { result, trace } = await traced(() => teacher.forward(example.inputs().toJSON()));
        if (run.interrupted) return undefined;
        const score = options.metric ? await judge(options.metric, example, result, trace, index) : undefined;
        const kept =
          score === undefined ||
          (options.metricThreshold !== undefined ? score >= options.metricThreshold : score > 0);
        const rows = trace.flatMap((step) => {
          const path = paths.get(step.predictor);
          if (path === undefined) return [];
          return [
            { path, row: rowOf(step.predictor as TracedPredictor, step.inputs, step.outputs, options) },
          ];
        });
        return { score, kept, rows };
      });
    } catch (error) {
      if (run.interrupted) return undefined;
      if (failureKindOf(error) === 'lm' || error instanceof FinetuneError) throw error;
      if (MetricError.isInstance(error)) {
        if (run.metricErrorPolicy === 'stop') throw error;
        run.metricErrors++;
        return 'failed';
      }
      if (++errors >= options.maxErrors) {
        throw new OptimizerError(
          `Collecting training data stopped after ${errors} failed teacher runs (maxErrors ${options.maxErrors}); ` +
            `the last, on trainset[${index}], threw: ${(error as Error)?.message ?? error} — check the program's ` +
            'prompts and parsing with sigil inspect, or raise maxErrors.',
          { cause: error },
        );
      }
      // A failed run is a failed example (DSPy scores it 0): not kept, not journaled, so a resume retries it.
      return 'failed';
    }
  };
  const runs = await mapConcurrently(
    trainset.map((_, index) => index),
    run.concurrency,
    async (index): Promise<TracedRun | undefined> => {
      let failed = false;
      const traced = await run.memo<TracedRun>('finetune-trace', String(index), async () => {
        const outcome = await once(index);
        failed = outcome === 'failed';
        return outcome === 'failed' ? undefined : outcome;
      });
      return failed ? { kept: false, rows: [] } : traced;
    },
  );
  return runs.some((traced) => traced === undefined) ? undefined : (runs as TracedRun[]);
}

async function judge(
  metric: Metric,
  example: Example<any, any>,
  prediction: unknown,
  trace: unknown,
  index: number,
): Promise<number> {
  try {
    return scoreOf(await metric(example, prediction, trace));
  } catch (error) {
    throw metricFailure(index, error);
  }
}

/** DSPy's `build_call_data_from_trace`: the predictor's prompt (its signature and demos) with this call. */
function rowOf(
  predictor: TracedPredictor,
  inputs: Record<string, unknown>,
  outputs: Record<string, unknown>,
  options: TraceOptions,
): TrainingRow {
  const adapter =
    options.adapter ?? predictor.adapter ?? settings().adapter ?? (defaultAdapter ??= new ChatAdapter());
  if (!adapter.formatFinetuneData) {
    throw new FinetuneError(
      `${adapter.name} cannot write fine-tuning data (it has no formatFinetuneData) — pass { adapter: new ChatAdapter() } to BootstrapFinetune.`,
      { code: 'FINETUNE_UNSUPPORTED' },
    );
  }
  const demos = options.excludeDemos ? [] : predictor.demos;
  return adapter.formatFinetuneData(predictor.promptSignature(), demos, inputs, outputs);
}

/** The JSONL text of training rows: one compact JSON object a line (UTF-8, as DSPy's orjson writes it). */
export function jsonl(rows: readonly TrainingRow[]): string {
  return rows.map((row) => `${JSON.stringify(row)}\n`).join('');
}
