import { context, exactMatch, Predict, signature } from '@sigil/core';
import { MIPRO, reportOf } from '@sigil/optimize';
import { DEMO_BONUS, INSTRUCTION_QUALITY, LandscapeLM, ORIGINAL, questions, trueAccuracy } from './landscape';

const metric = exactMatch('answer');
const trainset = questions(30, 1000);
const valset = questions(100);

async function optimize(seed: number, extra: Partial<ConstructorParameters<typeof MIPRO>[0]> = {}) {
  const lm = new LandscapeLM(seed);
  const program = new Predict(signature('question -> answer', ORIGINAL));
  const mipro = new MIPRO({ metric, seed, numCandidates: 6, numTrials: 24, maxLabeledDemos: 0, ...extra });
  const optimized = await context({ lm }, () => mipro.compile(program, { trainset, valset }));
  return { lm, optimized, report: reportOf(optimized)!, program };
}

describe('MIPRO', () => {
  it('finds a configuration within 2 points of the best in at least 18 of 20 seeds, with fewer calls than exhaustive search', async () => {
    let hits = 0;
    let maxCalls = 0;
    let exhaustive = 0;
    for (let seed = 0; seed < 20; seed++) {
      const { lm, optimized, report } = await optimize(seed);
      const predictor = optimized.namedPredictors()[0][1];
      const sizes = report.search!.demoSetSizes!.self;
      const instructions = report.search!.instructions.self;
      const best =
        Math.max(...instructions.map((i) => INSTRUCTION_QUALITY[i] ?? 0)) +
        Math.max(...sizes.map((s) => DEMO_BONUS[Math.min(s, 4)]));
      const found = trueAccuracy(predictor.instructions, predictor.demos.length);
      if (found >= best - 0.02) hits++;
      maxCalls = Math.max(maxCalls, lm.calls);
      exhaustive = report.search!.configurations * valset.length;
    }
    expect(hits).toBeGreaterThanOrEqual(18);
    expect(maxCalls).toBeLessThan(exhaustive);
  }, 60_000);

  it('never changes the program it is given and reports every trial', async () => {
    const { program, report, optimized } = await optimize(3);
    expect(program.instructions).toBe(ORIGINAL);
    expect(program.demos).toEqual([]);
    expect(report.bestScore).toBeGreaterThan(report.baselineScore!);
    expect(report.steps.map((s) => s.name)).toEqual([
      'baseline',
      'bootstrap demo sets',
      'propose instructions',
      'search',
    ]);
    expect(report.search!.instructions.self[0]).toBe(ORIGINAL);
    expect(report.search!.instructions.self).toHaveLength(6);
    expect(optimized.namedPredictors()[0][1].instructions).not.toBe(ORIGINAL);
  });

  it('gives the same result for the same seed', async () => {
    const a = await optimize(5);
    const b = await optimize(5);
    expect(b.optimized.dumpState()).toEqual(a.optimized.dumpState());
    expect(b.lm.calls).toBe(a.lm.calls);
  });

  it('searches instructions only in zero-shot mode', async () => {
    const { optimized, report } = await optimize(2, { zeroShot: true });
    expect(report.search!.demoSetSizes).toBeUndefined();
    expect(report.search!.dimensions.map((d) => d.name)).toEqual(['self:instruction']);
    expect(optimized.namedPredictors()[0][1].demos).toEqual([]);
  });

  it('estimates its calls before running and stays near the estimate', async () => {
    const program = new Predict(signature('question -> answer', ORIGINAL));
    const mipro = new MIPRO({ metric, seed: 1, numCandidates: 6, numTrials: 24, maxLabeledDemos: 0 });
    const estimate = mipro.estimate(program, { trainset, valset });
    const { lm } = await optimize(1);
    expect(estimate.lmCalls).toBeGreaterThanOrEqual(lm.calls);
    expect(estimate.lmCalls).toBeLessThan(lm.calls * 2);
  });

  it('applies the auto presets of DSPy MIPROv2, and explicit settings override them', () => {
    const program = new Predict(signature('question -> answer'));
    const light = new MIPRO({ metric, auto: 'light' }).plan(program, { trainset, valset });
    expect(light.numCandidates).toBe(6);
    expect(light.numTrials).toBe(10);
    expect(
      new MIPRO({ metric, auto: 'medium' }).plan(program, { trainset, valset: questions(400) }).valSize,
    ).toBe(300);
    expect(
      new MIPRO({ metric, auto: 'heavy', numTrials: 3 }).plan(program, { trainset, valset }).numTrials,
    ).toBe(3);
    expect(() => new MIPRO({ metric, auto: 'huge' as never })).toThrow(/light', 'medium' or 'heavy'/);
  });

  it('stops at the budget with the best program so far', async () => {
    const { report, lm } = await optimize(4, { maxCalls: 400 });
    expect(report.stoppedBy).toBe('budget');
    expect(lm.calls).toBeLessThanOrEqual(400 + 8);
  });
});

describe('MIPRO journal', () => {
  it('resumes a run cut short: journaled trials are not paid again and the result equals an uninterrupted run', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'sigil-mipro-journal-'));
    try {
      const journal = join(dir, 'run.jsonl');
      const full = await optimize(7);
      const cut = await optimize(7, { journal, maxCalls: Math.floor(full.lm.calls / 2) });
      expect(cut.report.stoppedBy).toBe('budget');
      const resumed = await optimize(7, { journal, resume: true });
      expect(resumed.report.stoppedBy).toBe('completed');
      expect(resumed.lm.calls).toBeLessThan(full.lm.calls - full.lm.calls / 4);
      expect(resumed.optimized.dumpState()).toEqual(full.optimized.dumpState());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
