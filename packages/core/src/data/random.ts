import { InvalidOptionError } from '../errors/sigil-error';
/**
 * A small seeded pseudo-random generator. `Math.random` cannot be seeded, and a split must be the same on
 * every machine and Node version, so Sigil carries its own: mulberry32 (32-bit state, passes
 * SmallCrush, and is a few lines of integer arithmetic with identical results everywhere).
 */

/** A seed: a number, or any string (hashed to 32 bits). */
export type Seed = number | string;

/** A function returning uniformly distributed floats in [0, 1), deterministic for a given seed. */
export type RandomSource = () => number;

/**
 * Creates a seeded generator. Same seed, same sequence — in Node, browsers and across versions.
 * @example const random = seededRandom(42); random(); // 0.6011037519201636
 */
export function seededRandom(seed: Seed): RandomSource {
  let state = seedToUint32(seed);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniformly distributed integer in [0, bound). */
export function randomInt(random: RandomSource, bound: number): number {
  return Math.floor(random() * bound);
}

function seedToUint32(seed: Seed): number {
  if (typeof seed === 'number') {
    if (!Number.isFinite(seed))
      throw new InvalidOptionError(`Seed must be a finite number or a string, got ${seed}.`, {
        option: 'seed',
      });
    // Fold the high bits in, so that seeds differing only above 2^32 (or in the fraction) still differ.
    const high = Math.floor(seed / 4294967296);
    const fraction = Math.round((seed % 1) * 1e9);
    return (seed >>> 0) ^ Math.imul(high | 0, 0x9e3779b1) ^ Math.imul(fraction, 0x85ebca6b);
  }
  // FNV-1a over UTF-16 code units: stable and dependency-free.
  let hash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    hash ^= seed.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
