import { type PyRandom, roundHalfEven } from '../random/py-random';

/** One run of a sampled program on a batch example, as SIMBA scores and compares it. */
export interface SampledRun {
  /** The batch example (its train id). */
  example: number;
  /** The pool program that ran. */
  program: number;
  score: number;
  outputs: Record<string, unknown>;
  /** Predictor calls, labelled with the predictor's path. */
  trace: { predictor: string; inputs: Record<string, unknown>; outputs: Record<string, unknown> }[];
  /** The metric's fields besides `score` (its feedback, objectives …). */
  metadata: Record<string, unknown>;
}

/** A bucket: one example's runs, best first, with the statistics buckets are ordered by. */
export interface Bucket {
  runs: SampledRun[];
  /** max − min, max, max − mean. */
  stats: [number, number, number];
}

/** Per example of the batch, its runs (one per LM variant) sorted best first; buckets ordered by their stats. */
export function bucketsOf(runs: readonly SampledRun[], batchSize: number): Bucket[] {
  const buckets: Bucket[] = [];
  for (let j = 0; j < batchSize; j++) {
    const bucket: SampledRun[] = [];
    for (let i = j; i < runs.length; i += batchSize) bucket.push(runs[i]);
    // Python's sort is stable: equal scores keep their variant order.
    bucket.sort((a, b) => b.score - a.score);
    const max = bucket[0].score;
    const min = bucket[bucket.length - 1].score;
    const mean = bucket.reduce((s, r) => s + r.score, 0) / bucket.length;
    buckets.push({ runs: bucket, stats: [max - min, max, max - mean] });
  }
  // Descending by the tuple; stable on ties (as `sort(key=…, reverse=True)`).
  return buckets
    .map((bucket, position) => ({ bucket, position }))
    .sort((a, b) => compareDescending(a.bucket.stats, b.bucket.stats) || a.position - b.position)
    .map((entry) => entry.bucket);
}

function compareDescending(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return b[i] - a[i];
  return 0;
}

/** numpy's `percentile` with linear interpolation (`q` in 0…100). */
export function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  const rank = (q / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

/** A program's average score (0 with no scores yet). */
export function averageOf(scores: readonly number[] | undefined): number {
  return !scores || scores.length === 0 ? 0 : scores.reduce((a, b) => a + b, 0) / scores.length;
}

/** The `k` best programs by average (stable on ties), with the baseline (0) forced into the last slot. */
export function topKPlusBaseline(averages: readonly number[], k: number): number[] {
  const ranked = averages
    .map((average, index) => ({ average, index }))
    .sort((a, b) => b.average - a.average || a.index - b.index)
    .slice(0, k)
    .map((entry) => entry.index);
  if (!ranked.includes(0) && ranked.length > 0) ranked[ranked.length - 1] = 0;
  return [...new Set(ranked)];
}

/** A program drawn by softmax over averages at `temperature` (uniform when the weights vanish). */
export function softmaxSample(
  rng: PyRandom,
  programs: readonly number[],
  averages: readonly number[],
  temperature: number,
): number {
  const exps = programs.map((p) => Math.exp(averages[p] / temperature));
  const total = exps.reduce((a, b) => a + b, 0);
  if (!(total > 0)) return rng.choice(programs);
  return rng.choices(
    programs,
    1,
    exps.map((e) => e / total),
  )[0];
}

/**
 * The step winners the finish picks, before duplicates are removed: `round(i·M/(N−1))` for i = 0…N−1 with
 * M = winners − 1 and N = candidates + 1, halves to even (only the baseline when M < 1).
 * @example finishPositions(3, 7) // [0, 0, 1, 2, 2, 2, 3]
 */
export function finishPositions(m: number, n: number): number[] {
  if (m < 1) return Array<number>(n).fill(0);
  return Array.from({ length: n }, (_, i) => roundHalfEven((i * m) / (n - 1)));
}

/** The winners the finish evaluates on the full trainset: `finishPositions` without duplicates. */
export function finishIndices(m: number, n: number): number[] {
  return [...new Set(finishPositions(m, n))];
}
