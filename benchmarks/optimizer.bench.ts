/**
 * Optimizer efficiency (issues 7, 10 and 18). Run: npx ts-node --transpile-only benchmarks/optimizer.bench.ts [--quick]
 *
 * Part 1 (issue 18, support/reflective.ts): GEPA, SIMBA, MIPRO (DSPy's proposer and the failure-grounded
 * one) and BootstrapRandomSearch over 20 seeds on three knowledge landscapes of the task simulator, each
 * returned program valued on 200 held-out tickets against the landscape's known optimum.
 *
 * Part 2 (issues 7 and 10):
 * On a simulated landscape (support/landscape.ts: 12 instructions × 12 bootstrapped demo sets, one best kind
 * of combination), each optimizer gets the same budget of LM calls (proposals and bootstrapping included)
 * and 10 seeds. Its incumbent — the configuration with the best measured full-valset score so far, which is
 * what it would return if stopped there — is followed call by call, and valued at its *expected* accuracy on
 * the landscape (not the noisy measured score). Reported per optimizer, median over seeds: expected accuracy
 * of the returned program, its measured valset score, the incumbent at 1/3, 2/3 and all of the budget, and
 * the LM calls until the incumbent is within 2 points of the best configuration of the seed's space.
 * Contenders: MIPRO (TPE) with DSPy's every-N full evaluation and with successive halving (rung 0 the
 * default 35-example minibatch, and a 12-example one), random search over the same space (MIPRO whose TPE
 * has startupTrials = numTrials) and BootstrapRandomSearch (demo sets only: its space has no instructions).
 * Writes results/optimizer.svg (median incumbent vs calls).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { context, exactMatch, Predict, signature } from '@sigil/core';
import { BootstrapRandomSearch, MIPRO, type Optimizer, reportOf } from '@sigil/optimize';
import type { StatePatch } from '@sigil/core';
import { bestAccuracy, LandscapeLM, ORIGINAL, questions, trueAccuracy } from './support/landscape';
import { compare, CONTENDERS as REFLECTIVE, LANDSCAPES } from './support/reflective';
import { emit, median, quick, round } from './support/stats';
import { lineChart } from './support/svg-plot';

const SEEDS = quick ? 2 : 10;
/** Seeds of the paired schedule comparison (the first SEEDS of them also make the main table). */
const DECISION_SEEDS = quick ? 4 : 40;
const BUDGET = quick ? 1_500 : 3_000;
const TRIALS = 500;
const metric = exactMatch('answer');
const trainset = questions(30, 1000);
const valset = questions(100);
const common = { metric, maxCalls: BUDGET, maxBootstrappedDemos: 4, maxLabeledDemos: 0 };

interface Contender {
  name: string;
  color: string;
  dashed?: boolean;
  build: (seed: number) => Optimizer<any>;
}

const mipro = (seed: number, extra: object) =>
  new MIPRO({ ...common, seed, numCandidates: 12, numTrials: TRIALS, ...extra });

const CONTENDERS: Contender[] = [
  {
    name: 'MIPRO, every-N, minibatch 35 (default)',
    color: '#1f77b4',
    build: (seed) => mipro(seed, { fidelity: 'every-n' }),
  },
  {
    name: 'MIPRO, every-N, minibatch 12',
    color: '#9467bd',
    build: (seed) => mipro(seed, { fidelity: 'every-n', minibatchSize: 12 }),
  },
  {
    name: 'MIPRO, halving, rung 0 = 35',
    color: '#d62728',
    build: (seed) => mipro(seed, { fidelity: 'halving' }),
  },
  {
    name: 'MIPRO, halving, rung 0 = 12',
    color: '#ff7f0e',
    build: (seed) => mipro(seed, { fidelity: 'halving', minibatchSize: 12 }),
  },
  {
    name: 'random search (same space), every-N',
    color: '#2ca02c',
    dashed: true,
    build: (seed) => mipro(seed, { fidelity: 'every-n', startupTrials: TRIALS }),
  },
  {
    name: 'BootstrapRandomSearch',
    color: '#7f7f7f',
    dashed: true,
    build: (seed) => new BootstrapRandomSearch({ ...common, seed, numCandidatePrograms: 100 }),
  },
];

/** The MIPRO schedules compared over more seeds, paired, to choose MIPRO's default fidelity. */
const SCHEDULES = CONTENDERS.slice(0, 4);

/** Expected accuracy (percent) of the program a candidate's state describes (a lone Predict: saved flat). */
function valueOf(state: StatePatch | undefined): number {
  const predictor = state as { signature?: { instructions?: string }; demos?: unknown[] } | undefined;
  return 100 * trueAccuracy(predictor?.signature?.instructions ?? ORIGINAL, predictor?.demos?.length ?? 0);
}

interface SeedRun {
  /** Incumbent expected accuracy (percent) after each LM-call count where it changed. */
  trajectory: [number, number][];
  final: number;
  measured: number;
  calls: number;
  best: number;
  /** Size of the search space (MIPRO's), when the optimizer reports one. */
  configurations?: number;
}

async function runOnce(contender: Contender, seed: number, best: number | undefined): Promise<SeedRun> {
  const lm = new LandscapeLM(seed);
  const optimizer = contender.build(seed);
  const program = new Predict(signature('question -> answer', ORIGINAL));
  const trajectory: [number, number][] = [];
  const candidates: { calls: number; key: string; score: number }[] = [];
  let incumbent = -Infinity;
  const consider = (score: number | undefined, value: number) => {
    if (score === undefined || score <= incumbent) return;
    incumbent = score;
    trajectory.push([lm.calls, value]);
  };
  optimizer.on(
    'step',
    (e) => e.name === 'baseline' && e.status === 'end' && consider(e.score, valueOf(undefined)),
  );
  optimizer.on('trial', (e) => e.fidelity === 'full' && consider(e.score, valueOf(e.state)));
  optimizer.on('candidate', (e) => candidates.push({ calls: lm.calls, key: e.key, score: e.score }));
  const optimized = await context({ lm }, () => optimizer.compile(program, { trainset, valset }));
  const report = reportOf(optimized)!;
  for (const c of candidates) {
    const state = report.candidates.find((r) => r.key === c.key)?.state;
    consider(c.score, valueOf(state));
  }
  const predictor = optimized.namedPredictors()[0][1];
  const space = report.search;
  return {
    trajectory,
    final: 100 * trueAccuracy(predictor.instructions, predictor.demos.length),
    measured: report.bestScore ?? 0,
    calls: lm.calls,
    best: space ? 100 * bestAccuracy(space.instructions.self, space.demoSetSizes!.self) : (best ?? 100),
    configurations: space?.configurations,
  };
}

/** The incumbent's value after `calls` LM calls (the program as given before the first measurement). */
function valueAt(run: SeedRun, calls: number): number {
  let value = valueOf(undefined);
  for (const [at, v] of run.trajectory) if (at <= calls) value = v;
  return value;
}

/** The LM calls until the incumbent is within 2 points of the seed's best configuration (undefined: never). */
function callsToWithin2(run: SeedRun, best: number): number | undefined {
  return run.trajectory.find(([, value]) => value >= best - 2 - 1e-9)?.[0];
}

function summaryOf(runs: readonly SeedRun[], bestBySeed: readonly number[]) {
  const reached = runs.map((run, seed) => callsToWithin2(run, bestBySeed[seed]));
  const checkpoints = [BUDGET / 3, (2 * BUDGET) / 3, BUDGET].map((calls) => ({
    calls: Math.round(calls),
    medianValue: round(median(runs.map((run) => valueAt(run, calls))), 1),
  }));
  return {
    medianFinalExpected: round(median(runs.map((r) => r.final)), 1),
    medianFinalMeasured: round(median(runs.map((r) => r.measured)), 1),
    medianCalls: median(runs.map((r) => r.calls)),
    within2Points: reached.filter((c) => c !== undefined).length,
    /** Median over seeds, a seed that never got there counting as infinite (null when most never did). */
    medianCallsToWithin2: nullIfInfinite(median(reached.map((c) => c ?? Infinity))),
    callsToWithin2: reached.map((c) => c ?? null),
    checkpoints,
    finals: runs.map((r) => round(r.final, 1)),
  };
}

const nullIfInfinite = (value: number) => (Number.isFinite(value) ? value : null);

/**
 * Seed by seed, how often schedule `a` got within 2 points with fewer LM calls than schedule `b` (a seed
 * where only one of the two got there counts for that one; neither: a tie).
 */
function paired(runsA: readonly SeedRun[], runsB: readonly SeedRun[], bestBySeed: readonly number[]) {
  const callsA = runsA.map((run, seed) => callsToWithin2(run, bestBySeed[seed]) ?? Infinity);
  const callsB = runsB.map((run, seed) => callsToWithin2(run, bestBySeed[seed]) ?? Infinity);
  const fewer = callsA.filter((c, seed) => c < callsB[seed]).length;
  const more = callsA.filter((c, seed) => c > callsB[seed]).length;
  return { fewer, more, ties: callsA.length - fewer - more };
}

/** The four MIPRO schedules over DECISION_SEEDS seeds, each against the default and halving against every-N. */
function fidelityDecision(runs: SeedRun[][], bestBySeed: readonly number[]) {
  const [everyN35, everyN12, halving35, halving12] = runs;
  return {
    seeds: everyN35.length,
    schedules: SCHEDULES.map((schedule, i) => {
      const calls = runs[i].map((run, seed) => callsToWithin2(run, bestBySeed[seed]) ?? Infinity);
      return {
        schedule: schedule.name,
        within2Points: calls.filter(Number.isFinite).length,
        medianCallsToWithin2: nullIfInfinite(median(calls)),
        medianFinalExpected: round(median(runs[i].map((r) => r.final)), 1),
        vsDefault: paired(runs[i], everyN35, bestBySeed),
      };
    }),
    halvingVsEveryNMinibatch35: paired(halving35, everyN35, bestBySeed),
    halvingVsEveryNMinibatch12: paired(halving12, everyN12, bestBySeed),
  };
}

/** Seeds of part 1 (the reflective comparison). */
const REFLECTIVE_SEEDS = quick ? 1 : 20;

async function main(): Promise<void> {
  const started = performance.now();
  // The smoke run (CI) keeps one landscape and one seed: every contender still runs once.
  const reflective = await compare(REFLECTIVE_SEEDS, REFLECTIVE, quick ? LANDSCAPES.slice(1, 2) : LANDSCAPES);
  const reflectiveMs = Math.round(performance.now() - started);
  const bestBySeed: number[] = [];
  const runsByContender: SeedRun[][] = [];
  for (const [index, contender] of CONTENDERS.entries()) {
    const seeds = index < SCHEDULES.length ? DECISION_SEEDS : SEEDS;
    const runs: SeedRun[] = [];
    for (let seed = 0; seed < seeds; seed++) {
      const run = await runOnce(contender, seed, bestBySeed[seed]);
      bestBySeed[seed] ??= run.best;
      runs.push(run);
    }
    runsByContender.push(runs);
  }
  const configurations = runsByContender[0][0].configurations ?? 0;
  const contenders = Object.fromEntries(
    CONTENDERS.map((c, i) => [c.name, summaryOf(runsByContender[i].slice(0, SEEDS), bestBySeed)]),
  );
  const grid = Array.from({ length: 61 }, (_, i) => (i * BUDGET) / 60);
  const svg = lineChart({
    title: `Expected accuracy of the incumbent vs LM calls (median of ${SEEDS} seeds)`,
    xLabel: 'LM calls (proposals, bootstrapping and evaluations)',
    yLabel: 'expected valset accuracy (%)',
    xMax: BUDGET,
    yMin: 0,
    yMax: 100,
    series: CONTENDERS.map((contender, i) => ({
      name: contender.name,
      color: contender.color,
      dashed: contender.dashed,
      points: grid.map((calls) => {
        const runs = runsByContender[i].slice(0, SEEDS);
        return [calls, median(runs.map((run) => valueAt(run, calls)))] as [number, number];
      }),
    })),
  });
  if (!quick) writeFileSync(join(__dirname, 'results', 'optimizer.svg'), svg);
  emit('optimizer', {
    seeds: SEEDS,
    budget: BUDGET,
    valset: valset.length,
    trainset: trainset.length,
    space: { configurations, exhaustiveCalls: configurations * valset.length },
    medianBest: round(median(bestBySeed.slice(0, SEEDS)), 1),
    contenders,
    fidelityDecision: fidelityDecision(runsByContender.slice(0, SCHEDULES.length), bestBySeed),
    reflective: {
      seeds: REFLECTIVE_SEEDS,
      trainset: 100,
      valset: 50,
      heldOut: 200,
      wallMs: reflectiveMs,
      landscapes: reflective,
    },
    wallMs: Math.round(performance.now() - started),
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
