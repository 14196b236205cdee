import { DatasetError, sample, seededRandom, shuffle, split } from '@sigil/core';

const items = Array.from({ length: 100 }, (_, index) => index);

describe('seeded shuffle, split and sample', () => {
  it('gives the same order for the same seed and a different one for another seed', () => {
    expect(shuffle(items, 7)).toEqual(shuffle(items, 7));
    expect(shuffle(items, 'seed')).toEqual(shuffle(items, 'seed'));
    expect(shuffle(items, 7)).not.toEqual(shuffle(items, 8));
    expect([...shuffle(items, 7)].sort((a, b) => a - b)).toEqual(items);
  });

  it('is pinned: the generator produces the same numbers on every platform', () => {
    const random = seededRandom(42);
    expect([random(), random()]).toEqual([0.6011037519201636, 0.44829055899754167]);
    expect(shuffle([1, 2, 3, 4, 5], 0)).toEqual(shuffle([1, 2, 3, 4, 5], 0));
  });

  it('does not modify its input', () => {
    const input = [1, 2, 3];
    shuffle(input, 1);
    sample(input, 2, 1);
    split(input, { train: 2, seed: 1 });
    expect(input).toEqual([1, 2, 3]);
  });

  it('splits by fractions, giving the remainder to train, deterministically', () => {
    const splits = split(items.slice(0, 11), { train: 0.8, val: 0.1, test: 0.1, seed: 3 });
    expect([splits.train.length, splits.val.length, splits.test.length]).toEqual([9, 1, 1]);
    expect(split(items.slice(0, 11), { train: 0.8, val: 0.1, test: 0.1, seed: 3 })).toEqual(splits);
    expect(new Set([...splits.train, ...splits.val, ...splits.test]).size).toBe(11);
  });

  it('splits by counts and can keep the input order', () => {
    expect(split(items, { train: 3, val: 2, shuffle: false })).toEqual({
      train: [0, 1, 2],
      val: [3, 4],
      test: [],
    });
  });

  it('rejects impossible sizes', () => {
    expect(() => split(items, { train: 90, val: 20 })).toThrow(DatasetError);
    expect(() => split(items, { train: 0.5, val: 3 })).toThrow(/not a mix/);
    expect(() => split(items, { train: -1 })).toThrow(DatasetError);
    expect(() => sample(items, 101)).toThrow(/Cannot sample 101 items from 100/);
  });

  it('samples distinct items deterministically', () => {
    const picked = sample(items, 10, 'demos');
    expect(new Set(picked).size).toBe(10);
    expect(sample(items, 10, 'demos')).toEqual(picked);
    expect(sample(items, 0)).toEqual([]);
  });
});
