/**
 * The coordinator's side of a distributed evaluation: an `EvaluationBackend` that sends each batch of
 * examples as a BullMQ job, with the candidate's state, to `sigil worker` processes, and gathers the
 * per-example results. BullMQ does the queueing, the worker locks and the re-running of jobs whose worker
 * died (its stalled-job check); Sigil adds the task fingerprint, the result format and the failure rules.
 */
import { randomBytes } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  type BackendRun,
  type EvaluationBackend,
  type EvaluationResult,
  type Example,
  InvalidOptionError,
  type Metric,
  Module,
} from '@sigil/core';
import { metricIdentity } from '@sigil/core/internal';
import { candidateState } from '@sigil/optimize';
import { connectOrFail, createClient, describeConnection, type RedisConnection } from '../redis/connection';
import { DistributedError, RedisUnavailableError } from '../redis/errors';
import { replayCalls } from './call-replay';
import { taskFingerprint } from './fingerprint';
import {
  type EvaluationJob,
  type EvaluationJobResult,
  exampleToJSON,
  PROTOCOL_VERSION,
  resultFromJSON,
} from './protocol';
import { queueNameOf } from './queue-name';

/** The task both sides run: its name, a fresh program (or a factory) and its metric. */
export interface DistributedTask {
  /** Names the queue: a coordinator and its workers use the same. */
  name: string;
  /** The task's program as the task file makes it (its state at start is the fingerprint's, not the jobs'). */
  program: Module | (() => Module | Promise<Module>);
  /** Scores each example on the workers; the coordinator's evaluations must use the same one. */
  metric: Metric<any, any>;
}

/** Options of {@link DistributedEvaluator.connect}. */
export interface DistributedEvaluatorOptions {
  /** Where Redis is; workers point at the same. */
  redis: RedisConnection;
  task: DistributedTask;
  /** Examples per job (default 8). */
  batchSize?: number;
  /** Jobs queued or running at once (default 64). */
  concurrency?: number;
  /** How long Redis may be unreachable during a run before it stops with `RedisUnavailableError` (default 10 s). */
  lostAfterMs?: number;
  /** How long to wait for Redis at start (default 5 s). */
  connectTimeoutMs?: number;
}

/** How often the jobs still waited for are looked up, in case their event was missed. */
const SWEEP_MS = 2_000;

interface Pending {
  resolve: (result: EvaluationJobResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs `Evaluate`'s batches on worker processes (`sigil worker <task> --redis <url>`). Results equal a run
 * in one process: the same scores, in devset order.
 * @example
 * const backend = await DistributedEvaluator.connect({ redis: 'redis://127.0.0.1:6379', task: { name: 'qa', program, metric } });
 * const report = await new Evaluate({ devset, metric, backend }).run(program);
 * await backend.close();
 */
export class DistributedEvaluator implements EvaluationBackend {
  readonly batchSize: number;
  readonly concurrency: number;
  /** The task version jobs are made for. */
  readonly fingerprint: string;
  /** The Redis address, password redacted. */
  readonly location: string;
  private readonly pending = new Map<string, Pending>();
  private readonly bySignal = new WeakMap<AbortSignal, Set<string>>();
  private readonly runId = randomBytes(4).toString('hex');
  private readonly metricIdentity: string;
  private sequence = 0;
  private lost?: RedisUnavailableError;
  private lostTimer?: NodeJS.Timeout;
  private readonly sweeper: NodeJS.Timeout;
  private sweeping = false;

  private constructor(
    private readonly options: DistributedEvaluatorOptions,
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly clients: Redis[],
    private readonly watch: Redis,
    fingerprint: string,
  ) {
    this.batchSize = options.batchSize ?? 8;
    this.concurrency = options.concurrency ?? 64;
    this.fingerprint = fingerprint;
    this.location = describeConnection(options.redis);
    this.metricIdentity = metricIdentity(options.task.metric);
    this.events.on('completed', ({ jobId, returnvalue }) => this.settle(jobId, returnvalue));
    this.events.on('failed', ({ jobId, failedReason }) => this.fail(jobId, failedReason));
    this.watchConnection();
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_MS);
    this.sweeper.unref();
  }

  /**
   * Connects to Redis (a `RedisUnavailableError` naming the redacted URL when it cannot) and readies the
   * queue of the task.
   */
  static async connect(options: DistributedEvaluatorOptions): Promise<DistributedEvaluator> {
    for (const option of ['batchSize', 'concurrency'] as const) {
      const value = options[option];
      if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
        throw new InvalidOptionError(`${option} must be a whole number ≥ 1, got ${value}.`, { option });
      }
    }
    const where = describeConnection(options.redis);
    const watch = createClient(options.redis, { maxRetriesPerRequest: 1 });
    await connectOrFail(watch, where, options.connectTimeoutMs);
    const program = await programOf(options.task);
    const fingerprint = taskFingerprint(program, options.task.metric);
    const clients = [createClient(options.redis, { maxRetriesPerRequest: null, lazyConnect: false })];
    const name = queueNameOf(options.task.name);
    const queue = new Queue(name, { connection: clients[0] as never, prefix: 'sigil' });
    // Events from now on, by the Redis server's clock: a job finishing before the first read is not missed.
    const [seconds, micros] = await watch.time();
    const lastEventId = `${Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) - 1}-0`;
    const events = new QueueEvents(name, {
      connection: describeOptions(options.redis) as never,
      prefix: 'sigil',
      lastEventId,
    });
    queue.on('error', () => undefined);
    events.on('error', () => undefined);
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    return new DistributedEvaluator(options, queue, events, clients, watch, fingerprint);
  }

  async evaluateBatch(
    batch: readonly { index: number; example: Example<any, any> }[],
    run: BackendRun,
  ): Promise<EvaluationResult<any, any>[]> {
    if (this.lost) throw this.lost;
    if (!(run.program instanceof Module)) {
      throw new DistributedError(
        'A distributed evaluation needs a Module (a Program or a Predict): its state is what the workers receive.',
      );
    }
    if (metricIdentity(run.metric) !== this.metricIdentity) {
      throw new InvalidOptionError(
        `The evaluation's metric (${metricIdentity(run.metric)}) is not the task's (${this.metricIdentity}): ` +
          `workers score with the task's metric — evaluate with the same one.`,
        { option: 'metric' },
      );
    }
    run.signal.throwIfAborted();
    const job: EvaluationJob = {
      protocol: PROTOCOL_VERSION,
      fingerprint: this.fingerprint,
      task: this.options.task.name,
      state: candidateState(run.program),
      failureScore: run.failureScore,
      examples: batch.map((item, position) => exampleToJSON(position, item.example)),
    };
    const id = `${this.runId}-${this.sequence++}`;
    const done = new Promise<EvaluationJobResult>((resolve, reject) =>
      this.pending.set(id, { resolve, reject }),
    );
    this.follow(run.signal).add(id);
    try {
      await Promise.race([
        this.queue.add('evaluate', job, {
          jobId: id,
          removeOnComplete: { age: 600 },
          removeOnFail: { age: 3_600 },
        }),
        done,
      ]);
      const outcome = await done;
      await replayCalls(outcome.calls);
      return outcome.results.map((result) =>
        resultFromJSON({ ...result, index: batch[result.index].index }, batch[result.index].example),
      );
    } finally {
      this.follow(run.signal).delete(id);
      this.pending.delete(id);
    }
  }

  /** The jobs of one evaluation, failed together when it stops (one listener per evaluation, not per job). */
  private follow(signal: AbortSignal): Set<string> {
    let jobs = this.bySignal.get(signal);
    if (!jobs) {
      const ids = new Set<string>();
      jobs = ids;
      this.bySignal.set(signal, ids);
      signal.addEventListener(
        'abort',
        () => {
          for (const id of ids) this.fail(id, undefined, signal.reason);
        },
        { once: true },
      );
    }
    return jobs;
  }

  /** Closes the queue and the connections (jobs already queued stay in Redis for the workers). */
  async close(): Promise<void> {
    clearTimeout(this.lostTimer);
    clearInterval(this.sweeper);
    await Promise.allSettled([this.queue.close(), this.events.close()]);
    for (const client of [...this.clients, this.watch]) client.disconnect();
  }

  /**
   * Asks Redis for the state of the jobs still waited for: a result whose event was missed (a reconnect of
   * the events stream) is picked up from the job itself (finished jobs are kept for 10 minutes).
   */
  private async sweep(): Promise<void> {
    if (this.lost || this.sweeping || this.pending.size === 0) return;
    this.sweeping = true;
    try {
      for (const id of [...this.pending.keys()]) {
        const state = await this.queue.getJobState(id);
        if (state !== 'completed' && state !== 'failed') continue;
        // Read after the state: a job read while running has no result yet.
        const job = await this.queue.getJob(id);
        if (state === 'completed' && job?.returnvalue) this.settle(id, job.returnvalue);
        else if (state === 'failed' && job) this.fail(id, job.failedReason);
      }
    } catch {
      // Redis is away: the connection watch decides when that stops the run.
    } finally {
      this.sweeping = false;
    }
  }

  private settle(jobId: string, value: unknown): void {
    const pending = this.pending.get(jobId);
    if (!pending || value === null || value === undefined) return;
    try {
      pending.resolve((typeof value === 'string' ? JSON.parse(value) : value) as EvaluationJobResult);
    } catch (error) {
      pending.reject(
        new DistributedError(`Job ${jobId} returned a result that is not JSON.`, { cause: error }),
      );
    }
  }

  private fail(jobId: string, failedReason?: string, reason?: unknown): void {
    const pending = this.pending.get(jobId);
    if (!pending) return;
    this.pending.delete(jobId);
    if (reason !== undefined) {
      pending.reject(reason);
      void this.queue.remove(jobId).catch(() => undefined);
      return;
    }
    const mismatch = failedReason?.startsWith('DISTRIBUTED_TASK_MISMATCH') ?? false;
    pending.reject(
      new DistributedError(
        mismatch
          ? `${failedReason!.slice('DISTRIBUTED_TASK_MISMATCH: '.length)}`
          : `A worker failed job ${jobId} of task "${this.options.task.name}": ${failedReason} — see the worker's output.`,
        { code: mismatch ? 'DISTRIBUTED_TASK_MISMATCH' : 'DISTRIBUTED_JOB_FAILED' },
      ),
    );
  }

  /** Redis gone for longer than `lostAfterMs` stops every batch waiting for a result. */
  private watchConnection(): void {
    const lostAfterMs = this.options.lostAfterMs ?? 10_000;
    this.watch.on('error', () => undefined);
    this.watch.on('close', () => {
      if (this.lostTimer || this.lost) return;
      this.lostTimer = setTimeout(() => {
        this.lost = new RedisUnavailableError(
          `Redis at ${this.location} was unreachable for ${lostAfterMs} ms during the run, so it stopped; what ` +
            "finished is kept (an optimizer's journal) — restart Redis and run again (sigil optimize --resume).",
          { url: this.location },
        );
        for (const [id] of this.pending) this.fail(id, undefined, this.lost);
      }, lostAfterMs);
      this.lostTimer.unref();
    });
    this.watch.on('ready', () => {
      clearTimeout(this.lostTimer);
      this.lostTimer = undefined;
    });
  }
}

async function programOf(task: DistributedTask): Promise<Module> {
  const program = typeof task.program === 'function' ? await task.program() : task.program;
  if (!(program instanceof Module)) {
    throw new InvalidOptionError(`Task "${task.name}": program must be a Module (or make one).`, {
      option: 'task.program',
    });
  }
  return program;
}

/** ioredis options for BullMQ's own blocking connections (it makes those itself). */
export function describeOptions(connection: RedisConnection): object {
  if (typeof connection !== 'string')
    return { ...('duplicate' in connection ? connection.options : connection), maxRetriesPerRequest: null };
  const url = new URL(connection);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username || undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : undefined,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}
