/**
 * Distributed Evaluate (issue 19): 2,000 examples through `Predict` against the fake server answering after
 * 50 ms, evaluated by 1, 2 and 4 `EvaluationWorker` processes (BullMQ on a local redis-server) at a fixed
 * concurrency per worker — measured twice, at 4 and at 8 examples in flight per worker (one job of 4, or of 8,
 * at a time). Target: throughput from 1 to 4 workers ≥ 3.5×. Also reported: the queue's overhead per job — the time a worker's job slot spends not
 * running a job, per job (fetching it, its lock, returning the result): (wall × slots − Σ job time) / jobs.
 *
 * Run: npm run build && node -r ts-node/register/transpile-only benchmarks/distributed.bench.ts [--quick]
 * Imports the packages by name, so it runs on their build (npm ci builds them). Needs `redis-server`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import 'reflect-metadata';
import { configure, Evaluate, Example, exactMatch, Input, LM, Output, Predict, Signature } from '@sigil/core';
import { DistributedEvaluator, EvaluationWorker } from '@sigil/distributed';
import { startRedisServer } from '@sigil/distributed/internal';
import { startFakeServer } from './support/processes';
import { emit, quick, round } from './support/stats';

const PLAN = {
  examples: quick ? 256 : 2_000,
  latencyMs: 50,
  workers: quick ? [1, 2] : [1, 2, 4],
  /** The per-worker concurrencies measured, each fixed across 1, 2 and 4 workers: jobs at a time × examples per job. */
  settings: quick
    ? [{ jobsPerWorker: 1, batchSize: 8 }]
    : [
        { jobsPerWorker: 1, batchSize: 4 },
        { jobsPerWorker: 1, batchSize: 8 },
      ],
  target: 3.5,
};
type Setting = (typeof PLAN.settings)[number];
const WORKER_FLAG = '--worker';

@Signature('Answer the question.')
class QA {
  @Input() readonly question!: string;
  @Output() answer!: string;
}

const task = (name: string) => ({ name, program: () => new Predict(QA), metric: exactMatch('answer') });

/** A worker process: runs jobs until stdin closes, printing each job's running time. */
async function worker(redis: string, baseURL: string, queue: string, jobs: number): Promise<void> {
  configure({
    lm: new LM('openai/bench', { baseURL, apiKey: 'sk-bench', cache: false, maxConcurrency: 64 }),
  });
  const started = new Map<string, number>();
  const running = await EvaluationWorker.start({
    redis,
    task: task(queue),
    jobs,
    onJob: ({ id, phase }) => {
      if (phase === 'start') started.set(id, performance.now());
      if (phase === 'done')
        process.stdout.write(`${JSON.stringify({ jobMs: performance.now() - started.get(id)! })}\n`);
    },
  });
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  process.stdin.resume();
  process.stdin.on(
    'end',
    () =>
      void running.close().then(() => {
        const { user, system } = process.cpuUsage();
        process.stdout.write(`${JSON.stringify({ cpuMs: (user + system) / 1000 })}\n`);
        process.exit(0);
      }),
  );
}

interface WorkerProcess {
  child: ChildProcess;
  jobMs: number[];
  cpuMs: number;
  ready: Promise<void>;
}

function startWorker(redis: string, baseURL: string, queue: string, jobs: number): WorkerProcess {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', __filename, WORKER_FLAG, redis, baseURL, queue, String(jobs)],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const jobMs: number[] = [];
  const process_: WorkerProcess = { child, jobMs, cpuMs: 0, ready: Promise.resolve() };
  let buffered = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    for (let at = buffered.indexOf('\n'); at >= 0; at = buffered.indexOf('\n')) {
      const line = JSON.parse(buffered.slice(0, at));
      buffered = buffered.slice(at + 1);
      if (line.ready) markReady();
      if (line.jobMs !== undefined) jobMs.push(line.jobMs);
      if (line.cpuMs !== undefined) process_.cpuMs = line.cpuMs;
    }
  });
  process_.ready = ready;
  return process_;
}

async function stopWorker(worker: WorkerProcess): Promise<void> {
  const exited = new Promise((resolve) => worker.child.once('exit', resolve));
  worker.child.stdin!.end();
  await exited;
}

/** 1, 2 and 4 workers at one per-worker concurrency. */
async function measure(setting: Setting, redis: string, baseURL: string, devset: Example[]) {
  const runs = [];
  for (const count of PLAN.workers) {
    const queue = `bench-${setting.jobsPerWorker}x${setting.batchSize}-${count}`;
    const workers = Array.from({ length: count }, () =>
      startWorker(redis, baseURL, queue, setting.jobsPerWorker),
    );
    await Promise.all(workers.map((w) => w.ready));
    const backend = await DistributedEvaluator.connect({
      redis,
      task: task(queue),
      batchSize: setting.batchSize,
    });
    const started = performance.now();
    const coordinatorCpu = process.cpuUsage();
    const report = await new Evaluate({
      devset,
      metric: exactMatch('answer'),
      progress: false,
      backend,
    }).run(new Predict(QA));
    const wallMs = performance.now() - started;
    const coordinator = process.cpuUsage(coordinatorCpu);
    await backend.close();
    await Promise.all(workers.map(stopWorker));
    const jobMs = workers.flatMap((w) => w.jobMs);
    const slots = count * setting.jobsPerWorker;
    const busyMs = jobMs.reduce((sum, ms) => sum + ms, 0);
    runs.push({
      workers: count,
      wallMs: round(wallMs, 0),
      examplesPerSecond: round((PLAN.examples / wallMs) * 1000, 1),
      score: report.score,
      jobs: jobMs.length,
      meanJobMs: round(busyMs / jobMs.length, 1),
      overheadPerJobMs: round((wallMs * slots - busyMs) / jobMs.length, 1),
      coordinatorCpuMsPerExample: round((coordinator.user + coordinator.system) / 1000 / PLAN.examples, 3),
      workerCpuMsPerExample: round(workers.reduce((sum, w) => sum + w.cpuMs, 0) / PLAN.examples, 3),
      idealWallMs: round((PLAN.examples / (slots * setting.batchSize)) * PLAN.latencyMs, 0),
    });
  }
  const first = runs[0];
  const last = runs[runs.length - 1];
  const speedup = round(last.examplesPerSecond / first.examplesPerSecond, 2);
  return {
    ...setting,
    inFlight: setting.jobsPerWorker * setting.batchSize,
    runs,
    speedup,
    speedupWorkers: `${first.workers} → ${last.workers}`,
    targetMet: quick ? undefined : speedup >= PLAN.target,
  };
}

async function main(): Promise<void> {
  const [, , flag, ...args] = process.argv;
  if (flag === WORKER_FLAG) return worker(args[0], args[1], args[2], Number(args[3]));
  const redis = await startRedisServer();
  const server = await startFakeServer(PLAN.latencyMs);
  const devset = Array.from({ length: PLAN.examples }, (_, i) =>
    Example.from({ question: `Question ${i}?`, answer: 'Paris' }).withInputs('question'),
  );
  const settings = [];
  try {
    for (const setting of PLAN.settings)
      settings.push(await measure(setting, redis.url, server.baseURL, devset));
  } finally {
    server.stop();
    await redis.stop();
  }
  emit('distributed', { plan: PLAN, settings });
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
