import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, exactMatch, Predict, signature } from '@sigil/core';
import { MIPRO, reportOf, type TrialEvent } from '@sigil/optimize';
import { halvingPromotionCalls, rungSizes } from '../../src/mipro/halving';
import { DEMO_BONUS, INSTRUCTION_QUALITY, LandscapeLM, ORIGINAL, questions, trueAccuracy } from './landscape';

const metric = exactMatch('answer');
const trainset = questions(30, 1000);
const valset = questions(100);

async function optimize(seed: number, extra: Partial<ConstructorParameters<typeof MIPRO>[0]> = {}) {
  const lm = new LandscapeLM(seed);
  const program = new Predict(signature('question -> answer', ORIGINAL));
  const mipro = new MIPRO({
    metric,
    seed,
    numCandidates: 6,
    numTrials: 24,
    maxLabeledDemos: 0,
    fidelity: 'halving',
    minibatchSize: 12,
    ...extra,
  });
  const trials: TrialEvent[] = [];
  mipro.on('trial', (event) => trials.push(event));
  const optimized = await context({ lm }, () => mipro.compile(program, { trainset, valset }));
  return { lm, optimized, report: reportOf(optimized)!, trials, mipro, program };
}

describe('MIPRO with successive halving', () => {
  it('grows rungs threefold from the minibatch up to the whole valset', () => {
    expect(rungSizes(12, 100)).toEqual([12, 36, 100]);
    expect(rungSizes(35, 100)).toEqual([35, 100]);
    expect(rungSizes(50, 50)).toEqual([50]);
    expect(halvingPromotionCalls(9, 12, 100)).toBe(3 * 24 + 1 * 64);
  });

  it('finds a configuration within 2 points of the best in at least 18 of 20 seeds', async () => {
    let hits = 0;
    for (let seed = 0; seed < 20; seed++) {
      const { optimized, report } = await optimize(seed);
      const predictor = optimized.namedPredictors()[0][1];
      const best =
        Math.max(...report.search!.instructions.self.map((i) => INSTRUCTION_QUALITY[i] ?? 0)) +
        Math.max(...report.search!.demoSetSizes!.self.map((s) => DEMO_BONUS[Math.min(s, 4)]));
      if (trueAccuracy(predictor.instructions, predictor.demos.length) >= best - 0.02) hits++;
    }
    expect(hits).toBeGreaterThanOrEqual(18);
  }, 60_000);

  it('scores a promoted configuration only on the examples it has not seen, and returns the best full score', async () => {
    const { trials, report } = await optimize(7);
    const callsByConfiguration = new Map<string, number>();
    for (const trial of trials) {
      const key = JSON.stringify(trial.state);
      callsByConfiguration.set(key, (callsByConfiguration.get(key) ?? 0) + trial.calls);
    }
    const full = trials.filter((t) => t.fidelity === 'full');
    expect(full.length).toBeGreaterThan(0);
    for (const trial of full) expect(callsByConfiguration.get(JSON.stringify(trial.state))).toBe(100);
    expect(report.bestScore).toBe(Math.max(report.baselineScore!, ...full.map((t) => t.score)));
    expect(report.search!.fullEvaluations).toBe(full.length);
  });

  it('promotes about a third of each rung and stays within its estimate', async () => {
    const { trials, lm, mipro, program } = await optimize(3);
    const rung0 = trials.filter((t) => t.fidelity === 'minibatch' && t.calls <= 12).length;
    const full = trials.filter((t) => t.fidelity === 'full').length;
    expect(full).toBeLessThanOrEqual(Math.ceil(rung0 / 9) + 1);
    expect(full).toBeGreaterThanOrEqual(1);
    expect(mipro.estimate(program, { trainset, valset }).lmCalls).toBeGreaterThanOrEqual(lm.calls);
  });

  it('replays every journaled evaluation when resumed, ending where the first run ended', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sigil-halving-'));
    try {
      const journal = join(dir, 'mipro.jsonl');
      const first = await optimize(5, { journal });
      const again = await optimize(5, { journal, resume: true });
      expect(again.trials.length).toBe(first.trials.length);
      expect(again.trials.every((t) => t.resumed && t.calls === 0)).toBe(true);
      expect(again.optimized.dumpState()).toEqual(first.optimized.dumpState());
      expect(again.lm.taskCalls).toBeLessThan(first.lm.taskCalls / 3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('resumes a run cut short by its budget, ending where an uninterrupted run ends', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sigil-halving-'));
    try {
      const journal = join(dir, 'mipro.jsonl');
      const full = await optimize(6);
      const cut = await optimize(6, { journal, maxCalls: Math.floor(full.lm.calls / 2) });
      expect(cut.report.stoppedBy).toBe('budget');
      const resumed = await optimize(6, { journal, resume: true });
      expect(resumed.report.stoppedBy).toBe('completed');
      expect(resumed.trials.some((t) => t.resumed)).toBe(true);
      expect(resumed.lm.calls).toBeLessThan(full.lm.calls);
      expect(resumed.optimized.dumpState()).toEqual(full.optimized.dumpState());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops at the budget with the best program so far', async () => {
    const { report, lm } = await optimize(4, { maxCalls: 400 });
    expect(report.stoppedBy).toBe('budget');
    expect(lm.calls).toBeLessThanOrEqual(400 + 8);
  });

  it('rejects an unknown fidelity schedule', () => {
    expect(() => new MIPRO({ metric, fidelity: 'hyperband' as never })).toThrow(/'every-n' or 'halving'/);
  });
});
