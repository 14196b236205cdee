import {
  AdapterParseError,
  type Callback,
  context,
  type Example,
  LMError,
  type Metric,
  type Module,
  OutputValidationError,
  Prediction,
} from '@sigil/core';
import {
  feedbackOf,
  mapConcurrently,
  type MetricTarget,
  type MetricValue,
  objectivesOf,
  scoreOf,
  type TraceRecord,
} from '@sigil/core/internal';
import { Meter, metered } from '../optimizer/budget';
import { BudgetExceededError, OptimizerError } from '../optimizer/errors';
import type { OptimizerRun } from '../optimizer/run';
import { candidateHash, Components, type Texts } from './components';

/** Which set an example id belongs to. */
export type Split = 'train' | 'val';

/** One predictor call of a run, labelled with the predictor's path (JSON-safe, as journaled). */
export interface TraceStep {
  predictor: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  /** Set when the reply could not be parsed: `outputs` is empty and `completion` holds the raw reply. */
  failed?: boolean;
  completion?: string;
}

/** One example run through a candidate and scored: what `gepa-eval` journals. */
export interface ExampleRun {
  score: number;
  feedback?: string;
  objectives?: Record<string, number>;
  /** The program's outputs (empty when it failed). */
  outputs: Record<string, unknown>;
  /** Predictor calls in order (only with traces). */
  trace: TraceStep[];
  /** The program threw (after a parse failure, a tool error …): the error's message. */
  error?: string;
}

/** The result of scoring a candidate on some examples. */
export interface Evaluation {
  /** Per example id, in the order asked. */
  runs: Map<number, ExampleRun>;
  /** Metric calls charged (examples not served by `cacheEvaluation`). */
  metricCalls: number;
  /** LM calls paid in this process for it (journaled examples cost none). */
  lmCalls: number;
  /** Examples read back from the journal. */
  resumed: number;
  /** True when the budget refused a call: the evaluation is incomplete and must be discarded. */
  interrupted: boolean;
}

/** What the evaluator needs from GEPA's options. */
export interface EvaluatorOptions {
  metric: Metric;
  failureScore: number;
  cacheEvaluation: boolean;
  /** Keep parse failures in traces (GEPA's `addFormatFailureAsFeedback`). */
  captureFailures: boolean;
}

/**
 * Runs candidates on examples, with traces when asked, and scores them. Every finished example is
 * journaled at once (`gepa-eval`, keyed by candidate hash, split, example id and occurrence), so a
 * resumed run replays it for free and a kill mid-evaluation loses only the examples in flight.
 */
export class CandidateEvaluator {
  private readonly occurrences = new Map<string, number>();
  private readonly memo = new Map<string, ExampleRun>();

  constructor(
    private readonly run: OptimizerRun,
    private readonly components: Components,
    private readonly data: { train: readonly Example[]; val: readonly Example[] },
    private readonly options: EvaluatorOptions,
  ) {}

  /** Scores `texts` on the examples `ids` of `split`; `cached` lets `cacheEvaluation` serve repeats. */
  async evaluate(texts: Texts, split: Split, ids: readonly number[], cached = false): Promise<Evaluation> {
    const hash = candidateHash(texts);
    const useMemo = cached && this.options.cacheEvaluation;
    const keys = ids.map((id) => {
      const base = `${hash}:${split}:${id}`;
      if (useMemo && this.memo.has(base)) return { id, base, key: undefined };
      const n = this.occurrences.get(base) ?? 0;
      this.occurrences.set(base, n + 1);
      return { id, base, key: `${base}:${n}` };
    });
    const meter = new Meter();
    let program: Module | undefined;
    let resumed = 0;
    let interrupted = false;
    const results = await metered(meter, () =>
      mapConcurrently(keys, this.run.concurrency, async ({ id, base, key }) => {
        if (key === undefined) return this.memo.get(base);
        const journaled = this.run.journal.get<ExampleRun>('gepa-eval', key);
        if (journaled) {
          resumed++;
          return journaled;
        }
        if (interrupted || this.run.outOfBudget) {
          interrupted = true;
          return undefined;
        }
        program ??= this.components.programOf(texts);
        const result = await this.runExample(program, this.data[split][id], split, `${split} example ${id}`);
        if (!result || this.run.interrupted) {
          interrupted = true;
          return undefined;
        }
        await this.run.journal.record('gepa-eval', key, result);
        return result;
      }),
    );
    const runs = new Map<number, ExampleRun>();
    keys.forEach(({ id, base, key }, i) => {
      const result = results[i];
      if (!result) return;
      runs.set(id, result);
      if (useMemo && key !== undefined) this.memo.set(base, result);
    });
    return {
      runs,
      metricCalls: keys.filter((k) => k.key !== undefined).length,
      lmCalls: meter.calls,
      resumed,
      interrupted: interrupted || runs.size < new Set(ids).size,
    };
  }

  /** The metric's verdict on one predictor's call(s) of a journaled run (GEPA's feedback call). */
  async feedbackFor(
    split: Split,
    id: number,
    run: ExampleRun,
    component: string,
    calls: readonly TraceStep[],
  ): Promise<{ score: number; feedback?: string }> {
    const example = this.data[split][id];
    const target = {
      predictor: component,
      calls: calls.map(({ predictor, inputs, outputs }) => ({ predictor, inputs, outputs })),
    };
    const value = await this.callMetric(example, run.outputs, run.trace, target, `${split} example ${id}`);
    return { score: scoreOf(value), feedback: feedbackOf(value) };
  }

  /** Runs one example (traced) and scores it; undefined when the budget refused a call. */
  private async runExample(
    program: Module,
    example: Example,
    split: Split,
    where: string,
  ): Promise<ExampleRun | undefined> {
    const owners = Components.ownersOf(program);
    const records: TraceRecord[] = [];
    const formatted = new Map<string, Record<string, unknown>>();
    const callbacks: Callback[] = this.options.captureFailures
      ? [
          {
            onStart: (event) => {
              const e = event.inputs as { signature?: string; inputs?: Record<string, unknown> } | undefined;
              if (event.kind === 'adapter' && e?.signature && e.inputs) formatted.set(e.signature, e.inputs);
            },
          },
        ]
      : [];
    let outputs: Record<string, unknown> = {};
    let error: unknown;
    try {
      const settings = callbacks.length > 0 ? { trace: records, callbacks } : { trace: records };
      const prediction = await context(settings, () => program.forward(example.inputs().toJSON()));
      outputs = plain(prediction);
    } catch (thrown) {
      if (this.run.interrupted || BudgetExceededError.isInstance(thrown)) return undefined;
      // A dead endpoint is not a wrong answer: the run stops with the LM's own error.
      if (LMError.isInstance(thrown)) throw thrown;
      error = thrown;
    }
    const trace: TraceStep[] = records.flatMap((record) => {
      const predictor = owners.get(record.predictor);
      return predictor === undefined
        ? []
        : [{ predictor, ...jsonSafe({ inputs: record.inputs, outputs: record.outputs }) }];
    });
    if (error !== undefined && this.options.captureFailures) {
      const failure = failedStep(error, owners, formatted);
      if (failure) trace.push(failure);
    }
    if (error !== undefined) {
      return { score: this.options.failureScore, outputs: {}, trace, error: messageOf(error) };
    }
    // As DSPy: the traced (minibatch) runs hand the metric their trace, the valset runs do not.
    const value = await this.callMetric(
      example,
      outputs,
      split === 'train' ? trace : undefined,
      undefined,
      where,
    );
    const result: ExampleRun = { score: scoreOf(value), outputs, trace };
    const feedback = feedbackOf(value);
    const objectives = objectivesOf(value);
    if (feedback !== undefined) result.feedback = feedback;
    if (objectives !== undefined) result.objectives = { ...objectives };
    return result;
  }

  private async callMetric(
    example: Example,
    outputs: Record<string, unknown>,
    trace: readonly TraceStep[] | undefined,
    target: MetricTarget | undefined,
    where: string,
  ): Promise<MetricValue> {
    try {
      const value = await this.options.metric(example, Prediction.from(outputs), trace, target);
      scoreOf(value);
      return value;
    } catch (thrown) {
      // As every optimizer: a metric that throws stops the run, unless it was told to score such examples 0.
      if (this.run.metricErrorPolicy === 'score-zero') {
        this.run.metricErrors++;
        return this.options.failureScore;
      }
      throw new OptimizerError(
        `GEPA: the metric threw on ${where}: ${messageOf(thrown)} — fix the metric (a metric error is never scored ` +
          "as a wrong answer unless metricErrors: 'score-zero' says so).",
        { cause: thrown },
      );
    }
  }
}

/** A prediction's fields as a JSON-safe object (what is journaled and what the metric sees on replay too). */
function plain(prediction: unknown): Record<string, unknown> {
  const fields =
    prediction && typeof (prediction as { toJSON?: unknown }).toJSON === 'function'
      ? (prediction as { toJSON(): unknown }).toJSON()
      : prediction;
  return jsonSafe((fields ?? {}) as Record<string, unknown>);
}

function jsonSafe<T>(value: T): T {
  return JSON.parse(JSON.stringify(value ?? {})) as T;
}

/** The trace step of a reply that failed to parse, when the error says which predictor's it was. */
function failedStep(
  error: unknown,
  owners: ReadonlyMap<object, string>,
  formatted: ReadonlyMap<string, Record<string, unknown>>,
): TraceStep | undefined {
  const parse = AdapterParseError.isInstance(error) || OutputValidationError.isInstance(error);
  if (!parse) return undefined;
  const failure = error as { completion: string; signature?: string; signatureName?: string };
  const name = failure.signatureName ?? failure.signature;
  const candidates = [...owners].filter(
    ([owner]) => (owner as { signature?: { name?: string } }).signature?.name === name,
  );
  if (candidates.length !== 1) return undefined;
  return {
    predictor: candidates[0][1],
    inputs: jsonSafe(formatted.get(name ?? '') ?? {}),
    outputs: {},
    failed: true,
    completion: failure.completion,
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
