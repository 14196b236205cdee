import { seededRandom } from '@sigil/core';
import { optunaGamma, optunaWeights, TPESampler, type TrialObservation } from '../../src/mipro/tpe';

/** A noisy categorical problem: two dimensions, one best arm; the score is its mean plus noise. */
function noisyProblem(seed: number) {
  const noise = seededRandom(`noise-${seed}`);
  const means = (a: number, b: number) =>
    0.3 + (a === 3 ? 0.3 : 0.05 * (a % 3)) + (b === 5 ? 0.25 : 0.03 * (b % 4));
  return (params: Record<string, number>) => means(params.instruction, params.demos) + (noise() - 0.5) * 0.2;
}

const dimensions = [
  { name: 'instruction', size: 6 },
  { name: 'demos', size: 8 },
];

function run(seed: number, strategy: 'tpe' | 'random', trials: number): TrialObservation[] {
  const random = seededRandom(seed);
  const sampler = new TPESampler(dimensions, { random });
  const score = noisyProblem(seed);
  const history: TrialObservation[] = [];
  for (let i = 0; i < trials; i++) {
    const params =
      strategy === 'tpe'
        ? sampler.suggest(history)
        : { instruction: Math.floor(random() * 6), demos: Math.floor(random() * 8) };
    history.push({ params, value: score(params), state: 'complete' });
  }
  return history;
}

const bestArmShare = (history: TrialObservation[], from: number) =>
  history.slice(from).filter((t) => t.params.instruction === 3 && t.params.demos === 5).length /
  (history.length - from);

describe('TPESampler', () => {
  it('uses Optuna defaults for gamma and observation weights', () => {
    expect(optunaGamma(1)).toBe(1);
    expect(optunaGamma(10)).toBe(1);
    expect(optunaGamma(11)).toBe(2);
    expect(optunaGamma(1000)).toBe(25);
    expect(optunaWeights(3)).toEqual([1, 1, 1]);
    const w = optunaWeights(30);
    expect(w).toHaveLength(30);
    expect(w[0]).toBeCloseTo(1 / 30);
    expect(w.slice(5)).toEqual(new Array(25).fill(1));
  });

  it('samples at random during the startup trials', () => {
    const sampler = new TPESampler(dimensions, { random: seededRandom(1) });
    const seen = new Set<number>();
    const history: TrialObservation[] = [];
    for (let i = 0; i < 10; i++) {
      const p = sampler.suggest(history);
      seen.add(p.instruction);
      history.push({ params: p, value: 0, state: 'complete' });
    }
    expect(seen.size).toBeGreaterThan(2);
  });

  it('puts more mass on choices seen in good trials (categorical Parzen estimator)', () => {
    const sampler = new TPESampler([{ name: 'x', size: 4 }], { random: seededRandom(2) });
    const probs = sampler.parzen({ name: 'x', size: 4 }, [
      { params: { x: 1 }, value: 1, state: 'complete' },
      { params: { x: 1 }, value: 1, state: 'complete' },
    ]);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1);
    // Two kernels at x=1 (each 4/7 there) and the uniform prior kernel, mixed equally: (4/7 + 4/7 + 1/4) / 3.
    expect(probs[1]).toBeCloseTo((4 / 7 + 4 / 7 + 1 / 4) / 3);
    expect(probs[1]).toBeGreaterThan(2 * probs[0]);
    expect(probs[0]).toBeCloseTo(probs[2]);
  });

  it('concentrates on the best arm of a noisy problem faster than random search, over 20 seeds', () => {
    let tpeWins = 0;
    let tpeShare = 0;
    let randomShare = 0;
    for (let seed = 0; seed < 20; seed++) {
      const tpe = bestArmShare(run(seed, 'tpe', 60), 30);
      const random = bestArmShare(run(seed, 'random', 60), 30);
      tpeShare += tpe / 20;
      randomShare += random / 20;
      if (tpe > random) tpeWins++;
    }
    expect(tpeWins).toBeGreaterThanOrEqual(16);
    expect(tpeShare).toBeGreaterThan(4 * randomShare);
  });

  it('spreads concurrent proposals: running trials count as bad (constant liar)', () => {
    const random = seededRandom(3);
    const sampler = new TPESampler([{ name: 'x', size: 3 }], { random, nStartupTrials: 2 });
    const history: TrialObservation[] = [
      { params: { x: 0 }, value: 0.9, state: 'complete' },
      { params: { x: 1 }, value: 0.1, state: 'complete' },
      { params: { x: 2 }, value: 0.1, state: 'complete' },
    ];
    const liar = new TPESampler([{ name: 'x', size: 3 }], { random, nStartupTrials: 2 });
    const withRunning = [
      ...history,
      ...Array.from({ length: 6 }, () => ({ params: { x: 0 }, state: 'running' as const })),
    ];
    const g = liar.parzen({ name: 'x', size: 3 }, withRunning.slice(1));
    expect(g[0]).toBeGreaterThan(g[1]);
    expect(sampler.suggest(history).x).toBe(0);
  });

  it('rejects an empty dimension', () => {
    expect(() => new TPESampler([{ name: 'x', size: 0 }], { random: Math.random })).toThrow(
      /at least one choice/,
    );
  });
});
