import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { OptimizerRun } from '../optimizer/run';
import type { FineTuningClient, FineTuningEventLike, FineTuningJobLike } from './client';
import { FinetuneError } from './errors';
import { jsonl, type TrainingRow } from './training-data';

/** What one fine-tuning job trains: the rows of one predictor (or, multitask, of the predictors sharing an LM). */
export interface TrainingGroup {
  /** A predictor path, or `lm:<model>` for a multitask group. */
  readonly key: string;
  readonly predictors: readonly string[];
  readonly rows: readonly TrainingRow[];
}

/** A training file written to disk. */
export interface TrainingFile {
  readonly path: string;
  /** sha256 of its bytes (the file name carries its first 12 hex digits). */
  readonly hash: string;
  readonly bytes: Buffer;
}

/** How jobs are started and watched. */
export interface JobSettings {
  readonly client: FineTuningClient;
  /** The model to fine-tune, as the endpoint names it (`gpt-4o-mini-2024-07-18`). */
  readonly baseModel: string;
  readonly hyperparameters?: Record<string, unknown>;
  readonly jobOptions?: Record<string, unknown>;
  readonly pollIntervalMs: number;
  /** Fires when the run is interrupted or a sibling job failed: polling stops, the job keeps running. */
  readonly signal: AbortSignal;
}

/** What a finished (or dry-run) job left. */
export interface JobRecord {
  key: string;
  predictors: string[];
  file: string;
  fileId?: string;
  jobId?: string;
  status: string;
  /** The fine-tuned model id. */
  model?: string;
}

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

/** Writes the group's JSONL file into `dir`, named after the group and its content's hash. */
export async function writeTrainingFile(dir: string, group: TrainingGroup): Promise<TrainingFile> {
  const bytes = Buffer.from(jsonl(group.rows), 'utf8');
  const hash = createHash('sha256').update(bytes).digest('hex');
  const name = `${group.key.replace(/[^A-Za-z0-9_.-]+/g, '_')}-${hash.slice(0, 12)}.jsonl`;
  await mkdir(dir, { recursive: true });
  const path = join(dir, name);
  await writeFile(path, bytes);
  return { path, hash, bytes };
}

/**
 * Uploads the file, creates the job and polls it to the end, each step journaled as soon as the provider
 * answered: a run killed while polling resumes polling the same job, with no second upload or job.
 * Resolves to the job's record (with the fine-tuned model), undefined when polling was interrupted;
 * a job that failed or was cancelled is a `FinetuneError` naming it.
 */
export async function runJob(
  run: OptimizerRun,
  group: TrainingGroup,
  file: TrainingFile,
  settings: JobSettings,
): Promise<JobRecord | undefined> {
  const { client } = settings;
  const memoKey = `${group.key}:${file.hash}`;
  const base = { key: group.key, predictors: [...group.predictors], file: file.path };
  const idempotencyKey = (step: string) => `sigil-finetune-${step}-${file.hash.slice(0, 32)}`;

  const uploadResumed = run.journal.has('finetune-upload', memoKey);
  const upload = await run.memo('finetune-upload', memoKey, async () => {
    const created = await client.files.create(
      {
        file: new File([file.bytes], basename(file.path), { type: 'application/jsonl' }),
        purpose: 'fine-tune',
      },
      { idempotencyKey: idempotencyKey('file') },
    );
    return { fileId: created.id };
  });
  const fileId = upload!.fileId;
  run.emit('finetune', { phase: 'upload', ...base, fileId, resumed: uploadResumed });

  const jobResumed = run.journal.has('finetune-job', memoKey);
  const started = await run.memo('finetune-job', memoKey, async () => {
    const body = {
      model: settings.baseModel,
      training_file: fileId,
      ...(settings.hyperparameters ? { hyperparameters: settings.hyperparameters } : {}),
      ...settings.jobOptions,
    };
    const job = await client.fineTuning.jobs.create(body, { idempotencyKey: idempotencyKey('job') });
    return { jobId: job.id };
  });
  const jobId = started!.jobId;
  run.emit('finetune', { phase: 'job', ...base, fileId, jobId, resumed: jobResumed });

  const seen = new Set<string>();
  for (;;) {
    const job = await client.fineTuning.jobs.retrieve(jobId);
    run.emit('finetune', { phase: 'poll', ...base, fileId, jobId, status: job.status });
    const events = await newEvents(client, jobId, seen);
    for (const event of events) {
      run.emit('finetune', {
        phase: 'event',
        ...base,
        fileId,
        jobId,
        status: job.status,
        message: event.message,
      });
    }
    if (TERMINAL.has(job.status)) return finished(run, job, { ...base, fileId, jobId, status: job.status });
    if (await pause(settings.pollIntervalMs, settings.signal)) return undefined;
  }
}

function finished(run: OptimizerRun, job: FineTuningJobLike, record: JobRecord): JobRecord {
  const which = `fine-tuning job ${job.id} (predictors ${record.predictors.join(', ')}, file ${record.file})`;
  if (job.status === 'succeeded' && job.fine_tuned_model) {
    const done = { ...record, status: job.status, model: job.fine_tuned_model };
    run.emit('finetune', { phase: 'done', ...done });
    return done;
  }
  const restart = 'Fix the cause, then run again with fresh (sigil: --fresh) to upload and train anew.';
  if (job.status === 'cancelled') {
    throw new FinetuneError(`The ${which} was cancelled. ${restart}`, {
      code: 'FINETUNE_JOB_CANCELLED',
      jobId: job.id,
      predictors: record.predictors,
    });
  }
  const reason = job.error ?? undefined;
  const why =
    job.status === 'succeeded'
      ? 'it succeeded but names no fine_tuned_model'
      : `it failed${reason?.message ? `: ${reason.message}` : ''}${reason?.code ? ` (${reason.code})` : ''}`;
  throw new FinetuneError(`The ${which} gave no model: ${why}. ${restart}`, {
    code: 'FINETUNE_JOB_FAILED',
    jobId: job.id,
    predictors: record.predictors,
    reason: reason ? { code: reason.code, message: reason.message } : undefined,
  });
}

/** The job's events not seen yet, oldest first (the API lists them newest first). */
async function newEvents(
  client: FineTuningClient,
  jobId: string,
  seen: Set<string>,
): Promise<FineTuningEventLike[]> {
  const page = await client.fineTuning.jobs.listEvents(jobId, { limit: 20 });
  const fresh = (page.data ?? []).filter((event) => !seen.has(event.id));
  for (const event of fresh) seen.add(event.id);
  return fresh.reverse();
}

/** Waits `ms`; resolves true at once when `signal` fires (then the wait is cut short). */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(false);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(true);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
