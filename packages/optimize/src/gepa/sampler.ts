import { OptimizerError } from '../optimizer/errors';
import type { PyRandom } from '../random/py-random';

/**
 * GEPA's epoch-shuffled minibatch sampler. Iteration i reads the slice at i·b of a shuffled list of the
 * train ids; when that position passes the end of the list, a new epoch shuffles again (with the shared
 * RNG). A list whose length is not a multiple of b is padded with the ids listed least often so far — on
 * a tie, the id that entered the count table last — so every slice is full.
 */
export class EpochSampler {
  private list: number[] = [];
  private epoch = -1;
  private size = 0;
  /** How often each id was listed, over all epochs, in the order ids entered the table. */
  private readonly counts = new Map<number, number>();

  constructor(
    private readonly batchSize: number,
    private readonly rng: PyRandom,
  ) {
    if (!(Number.isInteger(batchSize) && batchSize >= 1)) {
      throw new OptimizerError(`GEPA: reflectionMinibatchSize must be a whole number ≥ 1, got ${batchSize}.`);
    }
  }

  /** The train ids of iteration `iteration`'s minibatch. */
  next(trainSize: number, iteration: number): number[] {
    if (trainSize === 0) throw new OptimizerError('GEPA cannot sample a minibatch from an empty trainset.');
    const base = iteration * this.batchSize;
    const epoch = this.epoch === -1 ? 0 : Math.floor(base / Math.max(this.list.length, 1));
    if (this.list.length === 0 || trainSize !== this.size || epoch > this.epoch) {
      this.epoch = epoch;
      this.refresh(trainSize);
    }
    const start = base % this.list.length;
    return this.list.slice(start, start + this.batchSize);
  }

  /** The current epoch's padded list (for tests and the report). */
  get order(): readonly number[] {
    return this.list;
  }

  private refresh(trainSize: number): void {
    this.size = trainSize;
    this.list = this.rng.shuffle(Array.from({ length: trainSize }, (_, i) => i));
    // As the reference: the count table is rebuilt from this epoch's list (first-seen order = shuffle order).
    this.counts.clear();
    for (const id of this.list) this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
    const remainder = trainSize % this.batchSize;
    if (remainder === 0) return;
    for (let pad = 0; pad < this.batchSize - remainder; pad++) {
      let pick = -1;
      let lowest = Infinity;
      for (const [id, count] of this.counts) {
        if (count <= lowest) {
          lowest = count;
          pick = id;
        }
      }
      this.list.push(pick);
      this.counts.set(pick, lowest + 1);
    }
  }
}
