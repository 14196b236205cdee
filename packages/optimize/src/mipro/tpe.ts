import { OptimizerError } from '../optimizer/errors';
/**
 * A Tree-structured Parzen Estimator over categorical parameters, written after Optuna's TPESampler
 * and its defaults (multivariate, as DSPy's MIPROv2 configures it): 10 startup trials, 24 expected-improvement candidates,
 * gamma(n) = min(ceil(0.1·n), 25), prior weight 1.0, and observation weights that ramp down the oldest
 * trials once there are more than 25. Running trials are told as "bad" (constant liar), so several
 * trials can be proposed at once without piling onto the same point.
 */

/** A categorical search dimension: the sampler proposes an index in [0, size). */
export interface CategoricalDimension {
  readonly name: string;
  readonly size: number;
}

/** A trial the sampler learns from. `value` is to be maximised; running trials have none yet. */
export interface TrialObservation {
  readonly params: Readonly<Record<string, number>>;
  readonly value?: number;
  readonly state: 'complete' | 'running';
}

/** Settings of the TPE sampler (Optuna's defaults where unset). */
export interface TPEOptions {
  /** Uniform random draws in [0, 1); seed it for reproducible searches. */
  random: () => number;
  nStartupTrials?: number;
  nEiCandidates?: number;
  /** How many of n trials count as "good" (Optuna: min(ceil(0.1·n), 25)). */
  gamma?: (n: number) => number;
  priorWeight?: number;
  /** Treat running trials as bad observations (default true). */
  constantLiar?: boolean;
  /**
   * Model the dimensions jointly (product kernels), as DSPy configures Optuna (`multivariate=True`), so
   * interactions between an instruction and a demo set are learnt; `false` samples each dimension alone.
   */
  multivariate?: boolean;
}

/** Optuna's default split: the best min(⌈0.1·n⌉, 25) of n trials count as "good". */
export const optunaGamma = (n: number): number => Math.min(Math.ceil(0.1 * n), 25);

/** Optuna's default observation weights: flat up to 25 trials, then older trials ramp down to 1/n. */
export function optunaWeights(n: number): number[] {
  if (n === 0) return [];
  if (n < 25) return new Array(n).fill(1);
  const ramp = n - 25;
  const out: number[] = [];
  for (let i = 0; i < ramp; i++) out.push(ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1));
  for (let i = 0; i < 25; i++) out.push(1);
  return out;
}

/** Optuna's Tree-structured Parzen Estimator over categorical dimensions: suggests the next trial's choices. */
export class TPESampler {
  private readonly nStartup: number;
  private readonly nCandidates: number;
  private readonly gamma: (n: number) => number;
  private readonly priorWeight: number;
  private readonly constantLiar: boolean;

  constructor(
    readonly dimensions: readonly CategoricalDimension[],
    private readonly options: TPEOptions,
  ) {
    for (const d of dimensions) {
      if (!Number.isInteger(d.size) || d.size < 1) {
        throw new OptimizerError(
          `Search dimension "${d.name}" must have at least one choice (got ${d.size}).`,
        );
      }
    }
    this.nStartup = options.nStartupTrials ?? 10;
    this.nCandidates = options.nEiCandidates ?? 24;
    this.gamma = options.gamma ?? optunaGamma;
    this.priorWeight = options.priorWeight ?? 1;
    this.constantLiar = options.constantLiar ?? true;
  }

  /** Proposes the next assignment given every trial so far (in the order they were started). */
  suggest(history: readonly TrialObservation[]): Record<string, number> {
    const complete = history.filter((t) => t.state === 'complete' && t.value !== undefined);
    const out: Record<string, number> = {};
    if (complete.length < this.nStartup) {
      for (const d of this.dimensions) out[d.name] = Math.floor(this.options.random() * d.size);
      return out;
    }
    const { below, above } = this.split(history);
    if (this.options.multivariate ?? true) return this.sampleJoint(below, above);
    for (const d of this.dimensions) out[d.name] = this.sampleDimension(d, below, above);
    return out;
  }

  /** The good ("below") and bad ("above") observations, each with its order index for weighting. */
  private split(history: readonly TrialObservation[]) {
    const indexed = history.map((t, order) => ({ t, order }));
    const complete = indexed.filter(({ t }) => t.state === 'complete' && t.value !== undefined);
    const running = this.constantLiar ? indexed.filter(({ t }) => t.state === 'running') : [];
    const nBelow = Math.min(this.gamma(complete.length + running.length), complete.length);
    // Ties broken by order so the split is deterministic.
    const ranked = [...complete].sort((a, b) => b.t.value! - a.t.value! || a.order - b.order);
    const below = ranked.slice(0, nBelow).sort((a, b) => a.order - b.order);
    const above = [...ranked.slice(nBelow), ...running].sort((a, b) => a.order - b.order);
    return { below: below.map((x) => x.t), above: above.map((x) => x.t) };
  }

  private sampleDimension(
    d: CategoricalDimension,
    below: readonly TrialObservation[],
    above: readonly TrialObservation[],
  ): number {
    const l = this.parzen(d, below);
    const g = this.parzen(d, above);
    let best = -1;
    let bestScore = -Infinity;
    for (let i = 0; i < this.nCandidates; i++) {
      const x = drawCategorical(l, this.options.random);
      const score = Math.log(l[x]) - Math.log(g[x]);
      if (score > bestScore) {
        bestScore = score;
        best = x;
      }
    }
    return best;
  }

  /** Draws candidates from the joint l(x) and keeps the one maximising l(x) / g(x). */
  private sampleJoint(
    below: readonly TrialObservation[],
    above: readonly TrialObservation[],
  ): Record<string, number> {
    const l = this.jointKernels(below);
    const g = this.jointKernels(above);
    let best: Record<string, number> = {};
    let bestScore = -Infinity;
    for (let i = 0; i < this.nCandidates; i++) {
      const k = drawCategorical(l.weights, this.options.random);
      const x: Record<string, number> = {};
      this.dimensions.forEach((d, di) => (x[d.name] = drawCategorical(l.rows[k][di], this.options.random)));
      const score = Math.log(density(l, this.dimensions, x)) - Math.log(density(g, this.dimensions, x));
      if (score > bestScore) {
        bestScore = score;
        best = x;
      }
    }
    return best;
  }

  /** One product kernel per observation (each dimension as in `parzen`) plus the uniform prior kernel. */
  private jointKernels(observations: readonly TrialObservation[]): Kernels {
    const nKernels = observations.length + 1;
    const mixture = [...optunaWeights(observations.length), this.priorWeight];
    const total = mixture.reduce((a, b) => a + b, 0);
    const base = this.priorWeight / nKernels;
    const rows = mixture.map((_, k) =>
      this.dimensions.map((d) => {
        const v = k < observations.length ? observations[k].params[d.name] : undefined;
        const rowSum = base * d.size + (v !== undefined ? 1 : 0);
        return Array.from({ length: d.size }, (_, c) => (base + (v === c ? 1 : 0)) / rowSum);
      }),
    );
    return { weights: mixture.map((w) => w / total), rows };
  }

  /**
   * The categorical Parzen estimator: each observation is a kernel putting weight 1 + prior/(k) on its own
   * choice and prior/k on every choice, plus one uniform prior kernel; kernels mixed by Optuna's weights.
   * Returns the probability of each choice.
   */
  parzen(d: CategoricalDimension, observations: readonly TrialObservation[]): number[] {
    const size = d.size;
    const values = observations
      .map((o) => o.params[d.name])
      .filter((v) => v !== undefined && v >= 0 && v < size);
    if (values.length === 0) return new Array(size).fill(1 / size);
    const nKernels = values.length + 1;
    const mixture = [...optunaWeights(values.length), this.priorWeight];
    const total = mixture.reduce((a, b) => a + b, 0);
    const probs = new Array(size).fill(0);
    const base = this.priorWeight / nKernels;
    for (let k = 0; k < nKernels; k++) {
      const w = mixture[k] / total;
      const rowSum = base * size + (k < values.length ? 1 : 0);
      for (let c = 0; c < size; c++) {
        const cell = base + (k < values.length && values[k] === c ? 1 : 0);
        probs[c] += (w * cell) / rowSum;
      }
    }
    return probs;
  }
}

interface Kernels {
  weights: number[];
  /** rows[kernel][dimension][choice] */
  rows: number[][][];
}

function density(
  kernels: Kernels,
  dimensions: readonly CategoricalDimension[],
  x: Record<string, number>,
): number {
  let sum = 0;
  kernels.weights.forEach((w, k) => {
    let p = w;
    dimensions.forEach((d, di) => (p *= kernels.rows[k][di][x[d.name]]));
    sum += p;
  });
  return sum;
}

function drawCategorical(probs: readonly number[], random: () => number): number {
  let u = random();
  for (let i = 0; i < probs.length; i++) {
    u -= probs[i];
    if (u < 0) return i;
  }
  return probs.length - 1;
}
