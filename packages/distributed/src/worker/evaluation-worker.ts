/**
 * The worker's side: a BullMQ `Worker` that takes a task's evaluation jobs, refuses those made for another
 * version of the task, applies each job's state to a fresh copy of the program and evaluates the batch
 * with the task's metric. A worker that dies mid-job loses its lock; BullMQ's stalled-job check then hands
 * the job to another worker (the shared LM cache makes the re-run cheap).
 */
import * as os from 'node:os';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import {
  context,
  Evaluate,
  InvalidOptionError,
  type LanguageModel,
  type LMMiddleware,
  Module,
  settings,
} from '@sigil/core';
import { connectOrFail, createClient, describeConnection, type RedisConnection } from '../redis/connection';
import type { DistributedTask } from '../evaluate/distributed-evaluator';
import { describeOptions } from '../evaluate/distributed-evaluator';
import { taskFingerprint } from '../evaluate/fingerprint';
import {
  type CallRecord,
  type EvaluationJob,
  type EvaluationJobResult,
  exampleFromJSON,
  PROTOCOL_VERSION,
  resultToJSON,
} from '../evaluate/protocol';
import { queueNameOf } from '../evaluate/queue-name';

/** Options of {@link EvaluationWorker.start}. */
export interface EvaluationWorkerOptions {
  /** Where Redis is: the coordinator's. */
  redis: RedisConnection;
  /** The same task as the coordinator's (a job made for another version is refused). */
  task: DistributedTask;
  /** The LM the program calls (default: the configured one). */
  lm?: LanguageModel;
  /** Jobs run at once; each runs its examples concurrently (default 4). */
  jobs?: number;
  /** How long a job's lock lasts unless renewed (default 30 s): a dead worker's job is re-run after it. */
  lockDurationMs?: number;
  /** How often this worker looks for stalled jobs (default: the lock duration). */
  stalledIntervalMs?: number;
  /** The worker's name in results and logs (default `<host>:<pid>`). */
  name?: string;
  /** Told when a job starts and ends. */
  onJob?: (event: { id: string; examples: number; phase: 'start' | 'done' | 'refused' }) => void;
  /** How long to wait for Redis at start (default 5 s). */
  connectTimeoutMs?: number;
}

/**
 * A worker process's job runner (what `sigil worker <task> --redis <url>` starts).
 * @example const worker = await EvaluationWorker.start({ redis: 'redis://127.0.0.1:6379', task: { name: 'qa', program, metric } });
 */
export class EvaluationWorker {
  /** The task version this worker runs. */
  readonly fingerprint: string;
  readonly name: string;
  private readonly worker: Worker;

  private constructor(
    private readonly options: EvaluationWorkerOptions,
    private readonly base: Module,
  ) {
    this.fingerprint = taskFingerprint(base, options.task.metric);
    this.name = options.name ?? `${os.hostname()}:${process.pid}`;
    const lockDuration = options.lockDurationMs ?? 30_000;
    this.worker = new Worker(queueNameOf(options.task.name), (job: Job) => this.process(job), {
      connection: describeOptions(options.redis) as never,
      prefix: 'sigil',
      concurrency: options.jobs ?? 4,
      lockDuration,
      stalledInterval: options.stalledIntervalMs ?? lockDuration,
      maxStalledCount: 3,
      name: this.name,
    });
    this.worker.on('error', () => undefined);
  }

  /** Connects (a `RedisUnavailableError` naming the redacted URL when Redis cannot be reached) and starts taking jobs. */
  static async start(options: EvaluationWorkerOptions): Promise<EvaluationWorker> {
    const jobs = options.jobs;
    if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1)) {
      throw new InvalidOptionError(`jobs must be a whole number ≥ 1, got ${jobs}.`, { option: 'jobs' });
    }
    const probe = createClient(options.redis, { maxRetriesPerRequest: 1 });
    await connectOrFail(probe, describeConnection(options.redis), options.connectTimeoutMs);
    probe.disconnect();
    const program =
      typeof options.task.program === 'function' ? await options.task.program() : options.task.program;
    if (!(program instanceof Module)) {
      throw new InvalidOptionError(`Task "${options.task.name}": program must be a Module (or make one).`, {
        option: 'task.program',
      });
    }
    const worker = new EvaluationWorker(options, program);
    await worker.worker.waitUntilReady();
    return worker;
  }

  /** Stops taking jobs and waits for the running ones to finish. */
  async close(): Promise<void> {
    await this.worker.close();
  }

  private async process(job: Job): Promise<EvaluationJobResult> {
    const data = job.data as EvaluationJob;
    const id = String(job.id);
    if (data.protocol !== PROTOCOL_VERSION || data.fingerprint !== this.fingerprint) {
      this.options.onJob?.({ id, examples: data.examples?.length ?? 0, phase: 'refused' });
      throw new UnrecoverableError(
        `DISTRIBUTED_TASK_MISMATCH: worker ${this.name} runs task "${this.options.task.name}" version ` +
          `${this.fingerprint} (protocol ${PROTOCOL_VERSION}), but job ${id} was made for version ` +
          `${data.fingerprint} (protocol ${data.protocol}) — start the workers with the coordinator's task file.`,
      );
    }
    this.options.onJob?.({ id, examples: data.examples.length, phase: 'start' });
    const program = this.base.clone().loadState(data.state, { partial: true });
    const examples = data.examples.map(exampleFromJSON);
    const calls: CallRecord[] = [];
    const recorder: LMMiddleware = {
      name: 'distributed-call-record',
      call: async (next, messages, options) => {
        try {
          const response = await next(messages, options);
          calls.push({
            cached: response.cached,
            usage: response.usage,
            cost: response.cost,
            model: response.model,
          });
          return response;
        } catch (error) {
          calls.push({ failed: true });
          throw error;
        }
      },
    };
    const overrides = {
      lmMiddleware: [...(settings().lmMiddleware ?? []), recorder],
      ...(this.options.lm ? { lm: this.options.lm } : {}),
    };
    const report = await context(overrides, () =>
      new Evaluate({
        devset: examples,
        metric: this.options.task.metric,
        concurrency: Math.max(1, examples.length),
        failureScore: data.failureScore,
        progress: false,
        failFast: false,
      }).run(program),
    );
    this.options.onJob?.({ id, examples: examples.length, phase: 'done' });
    return {
      worker: this.name,
      results: report.results.map((result, index) => resultToJSON(result, index)),
      calls,
    };
  }
}
