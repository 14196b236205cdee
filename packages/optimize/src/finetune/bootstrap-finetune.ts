import {
  type Adapter,
  type LanguageModel,
  LM,
  type Metric,
  type Module,
  predictorsOf,
  type Settings,
  settings,
  shuffle,
} from '@sigil/core';
import { unwrapLM } from '@sigil/core/internal';
import { predictorPaths } from '../optimizer/candidate';
import { OptimizerError } from '../optimizer/errors';
import { estimateFrom, Optimizer, type CompileData, type OptimizerOptions } from '../optimizer/optimizer';
import type { Estimate } from '../optimizer/report';
import type { OptimizerRun } from '../optimizer/run';
import type { FineTuningClient } from './client';
import { FinetuneError } from './errors';
import { type JobRecord, runJob, type TrainingGroup, writeTrainingFile } from './finetune-job';
import { traceTeacher, type TracedRun } from './training-data';

/** Options of `BootstrapFinetune`. */
export interface BootstrapFinetuneOptions extends OptimizerOptions {
  /** Judges teacher runs (with the trace as third argument); only runs it accepts become training data. */
  metric?: Metric;
  /** A run is kept when its score is ≥ this; by default when it is true or > 0 (as DSPy). */
  metricThreshold?: number;
  /**
   * One job for all the predictors that share an LM, trained on all their calls (DSPy's default), instead of
   * one job and one training file per predictor (default false).
   */
  multitask?: boolean;
  /** Leave demos out of the training prompts and of the returned predictors (DSPy's `exclude_demos`). */
  excludeDemos?: boolean;
  /** The adapter that writes the training data (default: each predictor's, else the configured one, else ChatAdapter). */
  adapter?: Adapter;
  /** Settings the teacher runs under, e.g. `{ lm: strongerLM }` to distil a bigger model. */
  teacherSettings?: Partial<Settings>;
  /** Teacher runs that may throw before collecting gives up (default 10). */
  maxErrors?: number;
  /** The LM fine-tuned for predictors without their own (default: the configured `settings().lm`). */
  lm?: LanguageModel;
  /** The base model the job trains, as the endpoint names it (default: the LM's wire model name). */
  baseModel?: string;
  /** Sent as the job's `hyperparameters` (DSPy's `train_kwargs`), e.g. `{ n_epochs: 3 }`. */
  hyperparameters?: Record<string, unknown>;
  /** More fields of the create-job request: `suffix`, `seed`, `method`, `validation_file`, `metadata`. */
  jobOptions?: Record<string, unknown>;
  /**
   * The fine-tuning API to use (default: the `openai` client of the LM being tuned, `lm.openAIClient()`):
   * an `OpenAI` client for OpenAI, a LiteLLM proxy or another OpenAI-compatible endpoint.
   */
  client?: FineTuningClient;
  /** Builds the LM for a fine-tuned model id (default: `base.copy({ model })`, same endpoint and key). */
  bindModel?: (modelId: string, base: LanguageModel) => LanguageModel;
  /** Where training files are written (default `.sigil/finetune`). */
  outputDir?: string;
  /** Time between polls of a running job (default 20 s, as DSPy). */
  pollIntervalMs?: number;
  /** Write the training files and stop: no upload, no job; the program comes back unchanged. */
  dryRun?: boolean;
}

const jobsOfProgram = new WeakMap<object, readonly JobRecord[]>();

/**
 * The fine-tuning jobs behind a program `BootstrapFinetune` returned: per job its training file, file and
 * job ids, status and fine-tuned model (status `'exported'` and no ids in a dry run).
 * @example const tuned = await finetune.compile(program, { trainset }); finetuneJobsOf(tuned)?.[0].model;
 */
export function finetuneJobsOf(program: object): readonly JobRecord[] | undefined {
  return jobsOfProgram.get(program);
}

/**
 * DSPy's BootstrapFinetune: runs the teacher (default: the program itself) on every training example under a
 * trace, keeps the runs the metric accepts, writes each predictor's calls as chat fine-tuning data (the
 * messages its adapter sent and its outputs as the reply, one JSONL file per predictor), uploads the file,
 * starts a fine-tuning job through the `openai` SDK, polls it with progress (`finetune` events), and returns
 * the program with each predictor bound to its fine-tuned model. Journaled: a run killed while a job trains
 * resumes polling that job, with nothing uploaded or paid twice.
 * @example const tuned = await new BootstrapFinetune({ metric: exactMatch('answer') }).compile(program, { trainset });
 */
export class BootstrapFinetune extends Optimizer<BootstrapFinetuneOptions> {
  readonly name = 'BootstrapFinetune';

  constructor(options: BootstrapFinetuneOptions = {}) {
    super(options);
    const { pollIntervalMs } = options;
    if (pollIntervalMs !== undefined && !(Number.isFinite(pollIntervalMs) && pollIntervalMs >= 0)) {
      throw new OptimizerError(`pollIntervalMs must be a number of milliseconds ≥ 0, got ${pollIntervalMs}.`);
    }
  }

  estimate(program: Module, data: CompileData): Estimate {
    const runs = data.trainset.length;
    return estimateFrom(program, { expected: runs, most: runs }, [
      { name: 'bootstrap traces', programCalls: runs },
    ]);
  }

  protected override runControl(): readonly string[] {
    return ['client', 'bindModel', 'outputDir', 'pollIntervalMs', 'dryRun'];
  }

  protected async optimize(run: OptimizerRun, student: Module, data: CompileData): Promise<Module> {
    const options = this.options;
    const teacher = data.teacher ?? student.clone();
    checkSamePredictors(student, teacher);
    const bases = baseLMs(student, options.lm ?? settings().lm);
    const traced = await run.step('bootstrap traces', () =>
      traceTeacher(run, teacher, data.trainset, {
        metric: options.metric,
        metricThreshold: options.metricThreshold,
        teacherSettings: options.teacherSettings,
        adapter: options.adapter,
        excludeDemos: options.excludeDemos ?? false,
        maxErrors: options.maxErrors ?? 10,
      }),
    );
    if (!traced) return student;
    const groups = trainingGroups(student, bases, traced, options.multitask ?? false, run.seed);
    const dir = options.outputDir ?? '.sigil/finetune';
    const files = await Promise.all(groups.map((group) => writeTrainingFile(dir, group)));
    groups.forEach((group, i) =>
      run.emit('finetune', {
        phase: 'file',
        key: group.key,
        predictors: group.predictors,
        file: files[i].path,
      }),
    );
    if (options.dryRun) {
      const records = groups.map((group, i) => ({
        key: group.key,
        predictors: [...group.predictors],
        file: files[i].path,
        status: 'exported',
      }));
      const copy = student.clone();
      jobsOfProgram.set(copy, records);
      return copy;
    }

    const stop = new AbortController();
    const signal = options.signal;
    const onAbort = () => stop.abort();
    if (signal?.aborted) stop.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    let outcomes: PromiseSettledResult<JobRecord | undefined>[];
    try {
      outcomes = await Promise.allSettled(
        groups.map((group, i) => {
          const base = bases.get(group.predictors[0])!;
          return run
            .step(`fine-tune ${group.key}`, () =>
              runJob(run, group, files[i], {
                client: options.client ?? clientFor(base),
                baseModel: options.baseModel ?? wireModelOf(base),
                hyperparameters: options.hyperparameters,
                jobOptions: options.jobOptions,
                pollIntervalMs: options.pollIntervalMs ?? 20_000,
                signal: stop.signal,
              }),
            )
            .catch((error: unknown) => {
              // One job failed: stop watching the others (they keep training; a resume finds them).
              stop.abort();
              throw error;
            });
        }),
      );
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failure) throw failure.reason;
    const records = outcomes.map((o) => (o as PromiseFulfilledResult<JobRecord | undefined>).value);
    if (records.some((record) => record === undefined)) {
      run.stoppedBy = 'interrupted';
      return student;
    }
    const program = student.clone();
    const bind = options.bindModel ?? defaultBind;
    const modelOf = new Map<string, string>();
    for (const record of records as JobRecord[])
      for (const path of record.predictors) modelOf.set(path, record.model!);
    for (const predictor of predictorsOf(program)) {
      const model = modelOf.get(predictor.path);
      if (model === undefined) continue;
      predictor.lm.set(bind(model, bases.get(predictor.path)!));
      if (options.excludeDemos) predictor.demos.set([]);
    }
    jobsOfProgram.set(program, records as JobRecord[]);
    return program;
  }
}

function checkSamePredictors(student: Module, teacher: Module): void {
  const studentPaths = predictorPaths(student);
  const teacherPaths = predictorPaths(teacher);
  if (studentPaths.join('\u0000') === teacherPaths.join('\u0000')) return;
  throw new OptimizerError(
    `The teacher (${teacher.constructor.name}) must have the same predictors as the student ` +
      `(${student.constructor.name}): student has ${studentPaths.join(', ')}; teacher has ${teacherPaths.join(', ')}.`,
  );
}

/** The LM each predictor path runs with, the one whose model is fine-tuned for it. */
function baseLMs(program: Module, fallback: LanguageModel | undefined): Map<string, LanguageModel> {
  const out = new Map<string, LanguageModel>();
  for (const predictor of predictorsOf(program)) {
    const lm = predictor.lm.get() ?? fallback;
    if (!lm) {
      throw new OptimizerError(
        `BootstrapFinetune: predictor "${predictor.path}" has no LM to fine-tune — configure({ lm }), pass ` +
          '{ lm } to BootstrapFinetune, or give the predictor its own.',
      );
    }
    out.set(predictor.path, lm);
  }
  return out;
}

/** The rows of the kept runs, grouped per predictor (or per shared LM), shuffled with the run's seed. */
function trainingGroups(
  program: Module,
  bases: Map<string, LanguageModel>,
  traced: readonly TracedRun[],
  multitask: boolean,
  seed: number,
): TrainingGroup[] {
  const kept = traced.filter((run) => run.kept);
  const groups: { key: string; predictors: string[] }[] = [];
  const byLM = new Map<LanguageModel, { key: string; predictors: string[] }>();
  for (const path of predictorPaths(program)) {
    if (!multitask) {
      groups.push({ key: path, predictors: [path] });
      continue;
    }
    const lm = bases.get(path)!;
    let group = byLM.get(lm);
    if (!group) {
      const taken = groups.filter((g) => g.key.startsWith(`lm:${lm.model}`)).length;
      group = { key: `lm:${lm.model}${taken ? `#${taken + 1}` : ''}`, predictors: [] };
      byLM.set(lm, group);
      groups.push(group);
    }
    group.predictors.push(path);
  }
  return groups.map(({ key, predictors }) => {
    const rows = kept.flatMap((run) => run.rows.filter((r) => predictors.includes(r.path)).map((r) => r.row));
    if (rows.length === 0) {
      throw new FinetuneError(
        `BootstrapFinetune: no training data for ${predictors.join(', ')} — ${kept.length} of ${traced.length} ` +
          'teacher runs passed the metric and none called it. Check the metric, use a stronger teacher ' +
          '(teacherSettings: { lm }), or give more training examples.',
        { code: 'FINETUNE_NO_DATA', predictors },
      );
    }
    return { key, predictors, rows: shuffle(rows, `${seed}:finetune:${key}`) };
  });
}

function wireModelOf(lm: LanguageModel): string {
  const inner = unwrapLM(lm);
  return inner instanceof LM ? inner.wireModel : lm.model;
}

function clientFor(lm: LanguageModel): FineTuningClient {
  const inner = unwrapLM(lm);
  if (inner instanceof LM)
    return inner.openAIClient().withOptions({ maxRetries: 3 }) as unknown as FineTuningClient;
  throw new FinetuneError(
    `BootstrapFinetune: ${lm.model} is not an LM on an OpenAI-compatible endpoint, so there is no fine-tuning ` +
      'API to reach — pass { client: new OpenAI({ baseURL, apiKey }) } and { bindModel }.',
    { code: 'FINETUNE_UNSUPPORTED' },
  );
}

/**
 * An LM for the fine-tuned model on the base LM's endpoint: the model's name keeps the base's provider prefix
 * when the endpoint drops it (`openai/` against OpenAI), so `openai/gpt-4o-mini` becomes `openai/ft:gpt-4o-mini…`.
 */
function defaultBind(modelId: string, base: LanguageModel): LanguageModel {
  const inner = unwrapLM(base);
  if (!(inner instanceof LM)) {
    throw new FinetuneError(
      `BootstrapFinetune: cannot bind fine-tuned model ${modelId} to ${base.model}, which is not an LM — pass { bindModel }.`,
      { code: 'FINETUNE_UNSUPPORTED' },
    );
  }
  const wire = inner.wireModel;
  const prefix = wire !== inner.model && inner.model.endsWith(wire) ? inner.model.slice(0, -wire.length) : '';
  return inner.copy({ model: `${prefix}${modelId}` });
}
