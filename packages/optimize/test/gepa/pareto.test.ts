import { PyRandom } from '@sigil/optimize';
import { pruneDominated, samplingList, selectFromFronts } from '../../src/gepa/pareto';

type Fronts = Map<string, { best: number; members: number[] }>;
const fronts = (spec: Record<string, number[]>): Fronts =>
  new Map(Object.entries(spec).map(([id, members]) => [id, { best: 1, members }]));

describe('Pareto parent selection', () => {
  it('keeps every candidate when none is dominated, weighting each by the fronts it is on', () => {
    const table = fronts({ v1: [0, 1], v2: [1], v3: [2], v4: [1, 2], v5: [0] });
    const pruned = pruneDominated(table, [0.5, 0.7, 0.6]);
    expect([...pruned.values()]).toEqual([[0, 1], [1], [2], [1, 2], [0]]);
    expect(samplingList(pruned)).toEqual([0, 0, 1, 1, 1, 2, 2]);
    const rng = new PyRandom(0);
    expect([1, 2, 3, 4, 5].map(() => selectFromFronts(table, [0.5, 0.7, 0.6], rng))).toEqual([2, 1, 2, 1, 0]);
  });

  it('prunes candidates whose every front holds another survivor, so the dominator is always chosen', () => {
    const table = fronts({ v1: [0, 1], v2: [1], v3: [1, 2], v4: [1, 2] });
    const aggregates = [0.4, 0.9, 0.5];
    expect([...pruneDominated(table, aggregates).values()]).toEqual([[1], [1], [1], [1]]);
    const rng = new PyRandom(3);
    const picks = new Set(Array.from({ length: 20 }, () => selectFromFronts(table, aggregates, rng)));
    expect([...picks]).toEqual([1]);
  });
});
