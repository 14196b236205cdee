import { DatasetError } from './errors';
import { randomInt, seededRandom, type Seed } from './random';

/**
 * Returns a shuffled copy (Fisher–Yates with a seeded generator): the same seed gives the same order
 * everywhere. The input is not modified.
 * @example const shuffled = shuffle(trainset, 0);
 */
export function shuffle<T>(items: readonly T[], seed: Seed = 0): T[] {
  const copy = items.slice();
  const random = seededRandom(seed);
  for (let i = copy.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    const swap = copy[i];
    copy[i] = copy[j];
    copy[j] = swap;
  }
  return copy;
}

/**
 * Picks `count` distinct items at random (without replacement), in random order; deterministic for a seed.
 * @example const few = sample(trainset, 20, 'demos');
 */
export function sample<T>(items: readonly T[], count: number, seed: Seed = 0): T[] {
  if (!Number.isInteger(count) || count < 0 || count > items.length) {
    throw new DatasetError(`Cannot sample ${count} items from ${items.length}`, {
      hint: 'pass a whole number between 0 and the number of items',
    });
  }
  const copy = items.slice();
  const random = seededRandom(seed);
  // A partial Fisher–Yates: only the first `count` positions are drawn.
  for (let i = 0; i < count; i++) {
    const j = i + randomInt(random, copy.length - i);
    const swap = copy[i];
    copy[i] = copy[j];
    copy[j] = swap;
  }
  copy.length = count;
  return copy;
}

/** Sizes of a split: all fractions (≤ 1, summing to at most 1) or all whole counts. */
export interface SplitSizes {
  train: number;
  val?: number;
  test?: number;
}

export interface SplitOptions extends SplitSizes {
  /** Seed of the shuffle before splitting; default 0. */
  seed?: Seed;
  /** Shuffle before cutting (default true); false keeps the input order. */
  shuffle?: boolean;
}

/** The parts `split()` returns. */
export interface Splits<T> {
  train: T[];
  val: T[];
  test: T[];
}

/**
 * Shuffles with a seed, then cuts into train / val / test. Fractions round down; when fractions sum to 1
 * the remainder goes to train, so no item is lost.
 * @example const { train, val, test } = split(examples, { train: 0.8, val: 0.1, test: 0.1, seed: 7 });
 */
export function split<T>(items: readonly T[], options: SplitOptions): Splits<T> {
  const counts = splitCounts(items.length, options);
  const ordered = options.shuffle === false ? items.slice() : shuffle(items, options.seed ?? 0);
  const train = ordered.slice(0, counts.train);
  const val = ordered.slice(counts.train, counts.train + counts.val);
  const test = ordered.slice(counts.train + counts.val, counts.train + counts.val + counts.test);
  return { train, val, test };
}

function splitCounts(total: number, sizes: SplitSizes): Required<SplitSizes> {
  const requested = { train: sizes.train, val: sizes.val ?? 0, test: sizes.test ?? 0 };
  const values = Object.values(requested);
  const described = `train ${requested.train}, val ${requested.val}, test ${requested.test}`;
  if (values.some((value) => !Number.isFinite(value) || value < 0)) {
    throw new DatasetError(`Invalid split sizes (${described})`, {
      hint: 'sizes must be non-negative numbers',
    });
  }
  const sum = values.reduce((a, b) => a + b, 0);
  const areFractions =
    values.every((value) => value <= 1) && sum <= 1 + 1e-9 && !values.every(Number.isInteger);
  if (areFractions) {
    const counts = {
      train: Math.floor(requested.train * total),
      val: Math.floor(requested.val * total),
      test: Math.floor(requested.test * total),
    };
    if (Math.abs(sum - 1) < 1e-9) counts.train = total - counts.val - counts.test;
    return counts;
  }
  if (!values.every(Number.isInteger)) {
    throw new DatasetError(`Invalid split sizes (${described})`, {
      hint: 'use either fractions summing to at most 1 or whole counts, not a mix',
    });
  }
  if (sum > total) {
    throw new DatasetError(`Cannot split ${total} items into ${described} (${sum} needed)`, {
      hint: 'lower the counts or use fractions',
    });
  }
  return requested;
}
