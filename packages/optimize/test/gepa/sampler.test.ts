import { PyRandom } from '@sigil/optimize';
import { EpochSampler } from '../../src/gepa/sampler';

describe('GEPA minibatch sampler', () => {
  it('shuffles an epoch with the shared RNG and pads it with the least listed, latest entered ids', () => {
    const sampler = new EpochSampler(3, new PyRandom(0));
    const batches = [0, 1, 2, 3].map((iteration) => sampler.next(10, iteration));
    expect(sampler.order).toEqual([7, 8, 1, 5, 3, 4, 2, 0, 9, 6, 6, 9]);
    expect(batches).toEqual([
      [7, 8, 1],
      [5, 3, 4],
      [2, 0, 9],
      [6, 6, 9],
    ]);
  });

  it('starts a new epoch (a fresh shuffle) at iteration 4', () => {
    const sampler = new EpochSampler(3, new PyRandom(0));
    for (let i = 0; i < 4; i++) sampler.next(10, i);
    const first = [...sampler.order];
    const batch = sampler.next(10, 4);
    expect(sampler.order).not.toEqual(first);
    expect(batch).toEqual(sampler.order.slice(0, 3));
  });

  it('skips the slices of iterations spent elsewhere (a merge still advances the iteration)', () => {
    const sampler = new EpochSampler(3, new PyRandom(0));
    expect(sampler.next(10, 0)).toEqual([7, 8, 1]);
    expect(sampler.next(10, 2)).toEqual([2, 0, 9]);
  });
});
