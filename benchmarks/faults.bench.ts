/**
 * Faults (issue 16). Run: npx ts-node --transpile-only benchmarks/faults.bench.ts [--quick]
 *
 * 2,000 `question -> answer` calls through `Predict`, 64 in flight, against FakeOpenAIServer (its own
 * process, 50 ms a reply) failing 30 % of requests at random. Two mixes at the same fault rate:
 * - with 429s: `429 Retry-After: 1`, 500s, connection resets and stalls (closed after 200 ms), 7.5 % each;
 * - without: 500s, resets and stalls, 10 % each.
 * The LM has Sigil's default retry and rate-limit settings (only `maxConcurrency: 64` and `cache: 'off'`
 * set). Every answer is checked against its question. Runs alternate between the mixes; the medians are
 * reported and their ratio. Targets: every answer right with the 429s, wall time ≤ 3× the run without.
 */
import { LM, Predict, signature } from '@sigil/core';
import type { Fault } from '@sigil/testing';
import { startFaultServer } from './support/fault-server';
import { emit, median, quick, round } from './support/stats';

const PLAN = quick
  ? { calls: 300, concurrency: 64, latencyMs: 50, faultRate: 0.3, runs: 1 }
  : { calls: 2_000, concurrency: 64, latencyMs: 50, faultRate: 0.3, runs: 3 };
const TARGET_RATIO = 3;

const MIXES: Record<string, Fault[]> = {
  with429: [
    { kind: 'rate-limit', retryAfterSeconds: 1 },
    { kind: 'server-error', status: 500 },
    { kind: 'reset' },
    { kind: 'stall', stallMs: 200 },
  ],
  without429: [{ kind: 'server-error', status: 500 }, { kind: 'reset' }, { kind: 'stall', stallMs: 200 }],
};

interface Run {
  wallMs: number;
  right: number;
  wrong: number;
  failed: number;
  retries: number;
  requests: number;
  errors: string[];
}

async function runOnce(baseURL: string, offset: number): Promise<Run> {
  const lm = new LM('openai/gpt-4o-mini', {
    baseURL,
    apiKey: 'sk-bench',
    cache: 'off',
    maxConcurrency: PLAN.concurrency,
  });
  const predict = new Predict(signature('question -> answer'), { lm });
  const run: Run = { wallMs: 0, right: 0, wrong: 0, failed: 0, retries: 0, requests: 0, errors: [] };
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: PLAN.concurrency }, async () => {
      while (next < PLAN.calls) {
        const index = offset + next++;
        try {
          const { answer } = await predict.forward({ question: `question ${index}?` });
          if (answer === `answer-${index}`) run.right++;
          else run.wrong++;
        } catch (error) {
          run.failed++;
          if (run.errors.length < 3) run.errors.push(String((error as Error).message).slice(0, 300));
        }
      }
    }),
  );
  run.wallMs = Math.round(performance.now() - started);
  const stats = lm.stats();
  run.retries = stats.retries;
  run.requests = stats.requests;
  return run;
}

async function main(): Promise<void> {
  const servers = Object.fromEntries(
    await Promise.all(
      Object.entries(MIXES).map(async ([name, faults]) => [
        name,
        await startFaultServer({ latencyMs: PLAN.latencyMs, faultRate: PLAN.faultRate, faults, seed: 7 }),
      ]),
    ),
  ) as Record<string, { baseURL: string; stop: () => void }>;
  try {
    const runs: Record<string, Run[]> = { with429: [], without429: [] };
    for (let i = 0; i < PLAN.runs; i++) {
      for (const name of Object.keys(MIXES)) {
        runs[name].push(await runOnce(servers[name].baseURL, i * PLAN.calls));
      }
    }
    const summary = (list: Run[]) => ({
      medianWallMs: median(list.map((r) => r.wallMs)),
      right: list.map((r) => r.right),
      wrong: list.map((r) => r.wrong),
      failed: list.map((r) => r.failed),
      retries: list.map((r) => r.retries),
      requests: list.map((r) => r.requests),
      wallMs: list.map((r) => r.wallMs),
      errors: list.flatMap((r) => r.errors).slice(0, 3),
    });
    const with429 = summary(runs.with429);
    const without429 = summary(runs.without429);
    const ratio = round(with429.medianWallMs / without429.medianWallMs, 2);
    const allRight = runs.with429.every((r) => r.right === PLAN.calls);
    emit('faults', {
      plan: PLAN,
      mixes: MIXES,
      with429,
      without429,
      ratio,
      allRight,
      target: `every answer right; wall with 429s ≤ ${TARGET_RATIO}× without`,
      pass: allRight && ratio <= TARGET_RATIO,
    });
  } finally {
    for (const server of Object.values(servers)) server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
