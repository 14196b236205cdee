import { autoMetricCalls, GEPA, OptimizerError, type GEPAPreset } from '@sigil/optimize';
import { KeywordLM, keyedExamples, metric, QueueLM, single } from '../support/gepa-harness';

// The table of spec §12: DSPy 3.3.1's formula, cell by cell (P components, V valset examples).
const TABLE: [number, number, [number, number, number]][] = [
  [1, 50, [580, 940, 1385]],
  [1, 100, [780, 1190, 1735]],
  [1, 300, [1580, 2190, 3135]],
  [2, 50, [1030, 1390, 1645]],
  [2, 100, [1330, 1740, 2045]],
  [2, 300, [2530, 3140, 3645]],
  [3, 50, [1515, 2065, 2440]],
  [3, 100, [1915, 2565, 3040]],
  [3, 300, [3515, 4565, 5440]],
  [5, 50, [2415, 3345, 3895]],
  [5, 100, [3015, 4145, 4795]],
  [5, 300, [5415, 7345, 8395]],
];
const PRESETS: GEPAPreset[] = ['light', 'medium', 'heavy'];

describe('GEPA budgets', () => {
  it.each(TABLE)('auto presets for %i component(s) and a valset of %i match DSPy 3.3.1', (p, v, expected) => {
    expect(PRESETS.map((preset) => autoMetricCalls(preset, p, v))).toEqual(expected);
  });

  it('gives 560 metric calls for light with one component and 45 val examples', () => {
    const gepa = new GEPA({ metric, auto: 'light', reflectionLM: new QueueLM(['x']) });
    expect(
      gepa.metricCalls(single(), { trainset: keyedExamples(0, 10), valset: keyedExamples(100, 45) }),
    ).toBe(560);
  });

  it('turns maxFullEvals into passes over trainset and valset (1 × (300 + 150) = 450)', () => {
    const gepa = new GEPA({ metric, maxFullEvals: 1, reflectionLM: new QueueLM(['x']) });
    expect(
      gepa.metricCalls(single(), { trainset: keyedExamples(0, 300), valset: keyedExamples(1000, 150) }),
    ).toBe(450);
  });

  it.each([
    ['no budget', {}],
    ['two budgets', { auto: 'light' as const, maxMetricCalls: 100 }],
    ['three budgets', { auto: 'light' as const, maxMetricCalls: 100, maxFullEvals: 2 }],
  ])('refuses %s with an OptimizerError that names the options', (_name, budget) => {
    const build = () => new GEPA({ metric, reflectionLM: new QueueLM(['x']), ...budget });
    expect(build).toThrow(OptimizerError);
    expect(build).toThrow(/auto .*maxMetricCalls or maxFullEvals/);
  });

  it('refuses a missing reflectionLM, naming the option (never the task LM by accident)', () => {
    const build = () => new GEPA({ metric, maxMetricCalls: 10 } as never);
    expect(build).toThrow(OptimizerError);
    expect(build).toThrow(/reflectionLM/);
  });

  it('states its real arithmetic in estimate(): metric calls, and LM calls with one reflection per proposal', () => {
    const gepa = new GEPA({ metric, maxMetricCalls: 100, reflectionLM: new QueueLM(['x']) });
    const estimate = gepa.estimate(single(), {
      trainset: keyedExamples(0, 9),
      valset: keyedExamples(100, 10),
    });
    expect(estimate.metricCalls).toBe(100);
    // 90 calls after the seed's 10: 6 (all accepted) to 15 (all rejected) proposals of 2 × 3; the last
    // iteration may overshoot by 2b + V = 16.
    expect(estimate.programCalls).toBe(116);
    expect(estimate.lmCalls).toBe(100 + 11);
    expect(estimate.maxLmCalls).toBeGreaterThanOrEqual(116 + 15);
    expect(estimate.steps.map((s) => s.name)).toContain('6–15 proposals (1 reflection LM call each)');
  });

  it('refuses a program with no instruction to evolve', async () => {
    const { Program } = await import('@sigil/core');
    class Empty extends Program {
      async forward() {
        return {};
      }
    }
    const gepa = new GEPA({ metric, maxMetricCalls: 10, reflectionLM: new QueueLM(['x']) });
    await expect(gepa.compile(new Empty(), { trainset: keyedExamples(0, 3) })).rejects.toBeInstanceOf(
      OptimizerError,
    );
    expect(new KeywordLM().calls).toBe(0);
  });
});
