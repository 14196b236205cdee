/**
 * The reflective-optimizer comparison of optimizer.bench.ts (issue 18): GEPA, SIMBA, MIPRO (with and
 * without the failure-grounded proposer) and BootstrapRandomSearch on knowledge landscapes of the task
 * simulator, where the instruction's knowledge is the main lever and the optimum is known. Each run's
 * returned program is valued at its expected accuracy on 200 held-out tickets (not a noisy measurement).
 */
import { context, Example, exactMatch, type Module, Predict, signature } from '@sigil/core';
import { BootstrapRandomSearch, GEPA, MIPRO, type Optimizer, reportOf, SIMBA } from '@sigil/optimize';
import { knowledgeLandscape, type KnowledgeLandscapeOptions, type TaskSimulator } from '@sigil/testing';
import { median, round } from './stats';

/** A landscape of the comparison. */
export interface Landscape {
  name: string;
  description: string;
  options: KnowledgeLandscapeOptions;
}

export const LANDSCAPES: Landscape[] = [
  {
    name: 'knowledge, 12 rules',
    description:
      'twelve rules over six queues; a ticket is right with 0.25, 0.90 when its rule is stated, 0.50 with a demo of its rule',
    options: {},
  },
  {
    name: 'knowledge, 6 rules',
    description: 'one rule per queue, same weights',
    options: { rulesPerQueue: 1 },
  },
  {
    name: 'knowledge + demos',
    description: 'twelve rules (weight 0.45) and demos that help by themselves too (+0.05 each, up to 4)',
    options: { weights: { rule: 0.45, perDemo: 0.05 } },
  },
];

const metric = exactMatch('queue', { feedback: true });

/** A contender: how to build it for a seed (the reflection/prompt LM is the same simulator). */
export interface Contender {
  name: string;
  build: (seed: number, lm: TaskSimulator) => Optimizer<any>;
}

export const CONTENDERS: Contender[] = [
  { name: 'GEPA light', build: (seed, lm) => new GEPA({ metric, auto: 'light', reflectionLM: lm, seed }) },
  { name: 'GEPA medium', build: (seed, lm) => new GEPA({ metric, auto: 'medium', reflectionLM: lm, seed }) },
  {
    name: 'GEPA light, currentBest',
    build: (seed, lm) =>
      new GEPA({ metric, auto: 'light', reflectionLM: lm, seed, candidateSelection: 'currentBest' }),
  },
  { name: 'SIMBA', build: (seed) => new SIMBA({ metric, seed }) },
  {
    name: 'MIPRO light (DSPy proposer)',
    build: (seed) => new MIPRO({ metric, auto: 'light', seed, proposeFromFailures: false }),
  },
  { name: 'MIPRO light (grounded proposer)', build: (seed) => new MIPRO({ metric, auto: 'light', seed }) },
  {
    name: 'MIPRO medium (DSPy proposer)',
    build: (seed) => new MIPRO({ metric, auto: 'medium', seed, proposeFromFailures: false }),
  },
  { name: 'MIPRO medium (grounded proposer)', build: (seed) => new MIPRO({ metric, auto: 'medium', seed }) },
  { name: 'BootstrapRandomSearch', build: (seed) => new BootstrapRandomSearch({ metric, seed }) },
];

/** One run: held-out expected score of the returned program, the optimum, LM calls, and the val score. */
export interface RunResult {
  final: number;
  optimum: number;
  calls: number;
  measured: number;
  optimism?: number;
}

export async function runOnce(landscape: Landscape, contender: Contender, seed: number): Promise<RunResult> {
  const land = knowledgeLandscape({ seed, ...landscape.options });
  const lm = land.simulator();
  const examples = land.items.map((item) =>
    Example.from({ ...item.inputs, ...item.answers }).withInputs('ticket'),
  );
  const test = land.items.slice(200, 400);
  const program: Module = new Predict(signature('ticket -> queue', land.instruction));
  const optimizer = contender.build(seed, lm);
  const optimized = await context({ lm }, () =>
    optimizer.compile(program, { trainset: examples.slice(0, 100), valset: examples.slice(100, 150) }),
  );
  const report = reportOf(optimized)!;
  const [[, predictor]] = optimized.namedPredictors();
  return {
    final: 100 * land.expectedAccuracy(lm, predictor.instructions, predictor.demos, test),
    optimum: 100 * land.optimum(lm, test),
    calls: lm.calls,
    measured: report.bestScore ?? 0,
    optimism: report.selection?.optimism,
  };
}

/** Per contender over seeds: median final score, seeds within 2 points of the optimum, median calls. */
export function summarize(runs: readonly RunResult[]) {
  const within = runs.filter((r) => r.final >= r.optimum - 2 - 1e-9).length;
  const gaps = runs.map((r) => r.measured - r.final);
  const estimates = runs.flatMap((r) => (r.optimism === undefined ? [] : [r.optimism]));
  return {
    seeds: runs.length,
    medianFinal: round(median(runs.map((r) => r.final)), 1),
    medianOptimum: round(median(runs.map((r) => r.optimum)), 1),
    within2: within,
    medianCalls: Math.round(median(runs.map((r) => r.calls))),
    /** Measured val score of the returned program minus its true held-out score (selection optimism), mean. */
    meanValOverHeldOut: round(gaps.reduce((a, b) => a + b, 0) / Math.max(1, gaps.length), 1),
    /** The report's own optimism estimate, mean. */
    meanEstimatedOptimism: estimates.length
      ? round(estimates.reduce((a, b) => a + b, 0) / estimates.length, 1)
      : null,
    finals: runs.map((r) => round(r.final, 1)),
  };
}

/** Seed by seed: how often `a` ended above, below or level with `b`. */
export function paired(a: readonly RunResult[], b: readonly RunResult[]) {
  const better = a.filter((r, i) => r.final > b[i].final + 1e-9).length;
  const worse = a.filter((r, i) => r.final < b[i].final - 1e-9).length;
  const fewerCalls = a.filter((r, i) => r.calls <= b[i].calls).length;
  return { better, worse, ties: a.length - better - worse, fewerOrEqualCalls: fewerCalls };
}

/** The whole comparison: every contender on every landscape over `seeds` seeds. */
export async function compare(seeds: number, contenders = CONTENDERS, landscapes = LANDSCAPES) {
  const out: Record<string, unknown> = {};
  for (const landscape of landscapes) {
    const runs: Record<string, RunResult[]> = {};
    for (const contender of contenders) {
      runs[contender.name] = [];
      for (let seed = 0; seed < seeds; seed++)
        runs[contender.name].push(await runOnce(landscape, contender, seed));
      process.stderr.write(`  ${landscape.name} · ${contender.name}: done\n`);
    }
    const light = runs['GEPA light'];
    const miproLight = runs['MIPRO light (grounded proposer)'];
    const miproBefore = runs['MIPRO light (DSPy proposer)'];
    out[landscape.name] = {
      description: landscape.description,
      contenders: Object.fromEntries(Object.entries(runs).map(([name, list]) => [name, summarize(list)])),
      gepaLightVsMiproLight: light && miproLight ? paired(light, miproLight) : null,
      gepaLightVsMiproLightBefore: light && miproBefore ? paired(light, miproBefore) : null,
    };
  }
  return out;
}
