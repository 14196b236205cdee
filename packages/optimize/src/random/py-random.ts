import { OptimizerError } from '../optimizer/errors';

/*
 * Python's `random.Random`, draw for draw: the MT19937 generator seeded as CPython seeds it
 * (`init_by_array` over the 32-bit words of |seed|), and the methods GEPA and SIMBA use with CPython's
 * algorithms (`_randbelow_with_getrandbits`, `shuffle`, `sample`'s pool-or-set choice, `choices`' bisection).
 * The reference optimizers are Python programs; a run replays theirs only if every draw is the same, which
 * no general-purpose npm generator promises (they seed and reduce differently), hence this small one.
 */

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER = 0x80000000;
const LOWER = 0x7fffffff;

/**
 * A seeded generator with the semantics of CPython's `random.Random(seed)` (integer seeds).
 * @example new PyRandom(0).random(); // 0.8444218515250481, as Python's random.Random(0).random()
 */
export class PyRandom {
  private readonly state = new Uint32Array(N);
  private index = N + 1;

  constructor(seed = 0) {
    if (!Number.isSafeInteger(seed)) {
      throw new OptimizerError(`PyRandom takes a whole-number seed, got ${seed}.`);
    }
    this.seedWithArray(wordsOf(Math.abs(seed)));
  }

  /** A float in [0, 1) with 53 random bits (Python's `random()`). */
  random(): number {
    const a = this.next() >>> 5;
    const b = this.next() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** An integer of `k` random bits, 0 ≤ k ≤ 53 (Python's `getrandbits`). */
  getrandbits(k: number): number {
    if (k <= 32) return k === 0 ? 0 : this.next() >>> (32 - k);
    if (k > 53) throw new OptimizerError(`PyRandom.getrandbits supports at most 53 bits, got ${k}.`);
    // Python fills the words least significant first; the last one keeps only its top bits.
    let value = 0;
    let scale = 1;
    for (let left = k; left > 0; left -= 32) {
      const word = left < 32 ? this.next() >>> (32 - left) : this.next();
      value += word * scale;
      scale *= 4294967296;
    }
    return value;
  }

  /** A uniform integer in [0, n) by rejection on `bitLength(n)` bits (even n = 1 draws). */
  randbelow(n: number): number {
    if (!(Number.isInteger(n) && n > 0)) throw new OptimizerError(`randbelow needs n > 0, got ${n}.`);
    const k = bitLength(n);
    let r = this.getrandbits(k);
    while (r >= n) r = this.getrandbits(k);
    return r;
  }

  /** Python's `randrange(n)`. */
  randrange(n: number): number {
    return this.randbelow(n);
  }

  /** Python's `randint(a, b)`, both ends included. */
  randint(a: number, b: number): number {
    return a + this.randbelow(b - a + 1);
  }

  /** One element, `items[randbelow(length)]`. */
  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new OptimizerError('PyRandom.choice: cannot choose from an empty list.');
    return items[this.randbelow(items.length)];
  }

  /** Shuffles in place as Python does: position i, from the end, swaps with `randbelow(i + 1)`. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.randbelow(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }

  /** `k` distinct elements, with Python's choice between a shrinking pool and a set of drawn positions. */
  sample<T>(population: readonly T[], k: number): T[] {
    const n = population.length;
    if (!(Number.isInteger(k) && k >= 0 && k <= n)) {
      throw new OptimizerError(
        `PyRandom.sample: sample larger than population or negative (k ${k}, n ${n}).`,
      );
    }
    const result: T[] = new Array(k);
    let setsize = 21;
    if (k > 5) setsize += 4 ** Math.ceil(Math.log(k * 3) / Math.log(4));
    if (n <= setsize) {
      const pool = [...population];
      for (let i = 0; i < k; i++) {
        const j = this.randbelow(n - i);
        result[i] = pool[j];
        pool[j] = pool[n - i - 1];
      }
    } else {
      const selected = new Set<number>();
      for (let i = 0; i < k; i++) {
        let j = this.randbelow(n);
        while (selected.has(j)) j = this.randbelow(n);
        selected.add(j);
        result[i] = population[j];
      }
    }
    return result;
  }

  /** `k` elements with replacement; with `weights`, by bisecting the cumulative weights (Python's `choices`). */
  choices<T>(population: readonly T[], k = 1, weights?: readonly number[]): T[] {
    const n = population.length;
    if (n === 0) throw new OptimizerError('PyRandom.choices: cannot choose from an empty list.');
    if (!weights) return Array.from({ length: k }, () => population[Math.floor(this.random() * n)]);
    if (weights.length !== n) {
      throw new OptimizerError(`PyRandom.choices: ${weights.length} weights for ${n} elements.`);
    }
    const cumulative: number[] = [];
    let sum = 0;
    for (const w of weights) cumulative.push((sum += w));
    const total = sum + 0.0;
    if (!(total > 0))
      throw new OptimizerError('PyRandom.choices: the total of weights must be greater than zero.');
    return Array.from({ length: k }, () => population[bisectRight(cumulative, this.random() * total, n - 1)]);
  }

  /** A Poisson-distributed count (Knuth's product method; used where the reference draws from numpy). */
  poisson(lambda: number): number {
    if (!(lambda >= 0)) throw new OptimizerError(`PyRandom.poisson needs λ ≥ 0, got ${lambda}.`);
    const limit = Math.exp(-lambda);
    let k = 0;
    let product = this.random();
    while (product > limit) {
      k++;
      product *= this.random();
    }
    return k;
  }

  private next(): number {
    if (this.index >= N) this.twist();
    let y = this.state[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  private twist(): void {
    const mt = this.state;
    for (let k = 0; k < N; k++) {
      const y = (mt[k] & UPPER) | (mt[(k + 1) % N] & LOWER);
      mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    this.index = 0;
  }

  private seedWithInt(seed: number): void {
    const mt = this.state;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const previous = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (Math.imul(1812433253, previous) + i) >>> 0;
    }
    this.index = N;
  }

  private seedWithArray(key: readonly number[]): void {
    this.seedWithInt(19650218);
    const mt = this.state;
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const previous = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(previous, 1664525)) + key[j] + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const previous = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(previous, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000;
    this.index = N;
  }
}

/** Python's `round()` on a float: halves go to the even neighbour (`round(2.5) == 2`). */
export function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** The 32-bit words of a non-negative integer, least significant first (`[0]` for 0). */
function wordsOf(value: number): number[] {
  const words: number[] = [];
  let rest = value;
  do {
    words.push(rest % 4294967296);
    rest = Math.floor(rest / 4294967296);
  } while (rest > 0);
  return words;
}

function bitLength(n: number): number {
  return n === 0 ? 0 : n.toString(2).length;
}

/** The first index in `sorted[0..hi)` whose value is greater than `x` (Python's `bisect_right(a, x, 0, hi)`). */
function bisectRight(sorted: readonly number[], x: number, hi: number): number {
  let lo = 0;
  let top = hi;
  while (lo < top) {
    const mid = (lo + top) >>> 1;
    if (x < sorted[mid]) top = mid;
    else lo = mid + 1;
  }
  return lo;
}
