import { PyRandom } from '@sigil/optimize';
import type { ExampleRun } from '../../src/gepa/evaluator';
import { buildMerge, MergeHistory, mergeSubsample } from '../../src/gepa/merge';
import { Pool } from '../../src/gepa/pool';

const runs = (scores: number[]) =>
  new Map(scores.map((score, id) => [id, { score, outputs: {}, trace: [] } as ExampleRun]));
const ten = (head: number, tail: number) => [...Array(5).fill(head), ...Array(5).fill(tail)];
const components = ['a', 'b'];

function pool(members: { texts: Record<string, string>; parents: number[]; scores: number[] }[]): Pool {
  const out = new Pool('instance');
  for (const m of members)
    out.add(m.texts, m.parents, 0, { kind: 'reflection', components: [] }, runs(m.scores), 0);
  return out;
}

describe('GEPA merge eligibility', () => {
  const seed = { texts: { a: 'A0', b: 'B0' }, parents: [], scores: ten(0.5, 0.5) };

  it("merges a child that changed A with one that changed B: 1's A and 2's B, parents [1, 2]", () => {
    const p = pool([
      seed,
      { texts: { a: 'A1', b: 'B0' }, parents: [0], scores: ten(1, 0.5) },
      { texts: { a: 'A0', b: 'B2' }, parents: [0], scores: ten(0.5, 1) },
    ]);
    const child = buildMerge(p, components, new PyRandom(0), new MergeHistory(), 5);
    expect(child).toEqual({ texts: { a: 'A1', b: 'B2' }, i: 1, j: 2, ancestor: 0, descriptor: [1, 2] });
  });

  it('never merges a candidate with its own ancestor', () => {
    const p = pool([
      seed,
      { texts: { a: 'A1', b: 'B0' }, parents: [0], scores: ten(1, 0.4) },
      { texts: { a: 'A1', b: 'B2' }, parents: [1], scores: ten(0.4, 1) },
    ]);
    for (let s = 0; s < 10; s++)
      expect(buildMerge(p, components, new PyRandom(s), new MergeHistory(), 5)).toBeUndefined();
  });

  it('excludes an ancestor that scores above either parent', () => {
    const p = pool([
      { ...seed, scores: ten(0.9, 0.9) },
      { texts: { a: 'A1', b: 'B0' }, parents: [0], scores: ten(1, 0.5) },
      { texts: { a: 'A0', b: 'B2' }, parents: [0], scores: ten(0.5, 1) },
    ]);
    expect(buildMerge(p, components, new PyRandom(0), new MergeHistory(), 5)).toBeUndefined();
  });

  it('does not merge two children that changed only the same component, to different texts', () => {
    const p = pool([
      seed,
      { texts: { a: 'A1', b: 'B0' }, parents: [0], scores: ten(1, 0.5) },
      { texts: { a: 'A2', b: 'B0' }, parents: [0], scores: ten(0.5, 1) },
    ]);
    expect(buildMerge(p, components, new PyRandom(0), new MergeHistory(), 5)).toBeUndefined();
  });

  it('needs the parents to share at least mergeValOverlapFloor val ids', () => {
    const four = (a: number, b: number) => [a, a, b, b];
    const p = pool([
      { ...seed, scores: four(0.5, 0.5) },
      { texts: { a: 'A1', b: 'B0' }, parents: [0], scores: four(1, 0.5) },
      { texts: { a: 'A0', b: 'B2' }, parents: [0], scores: four(0.5, 1) },
    ]);
    expect(buildMerge(p, components, new PyRandom(0), new MergeHistory(), 5)).toBeUndefined();
    expect(buildMerge(p, components, new PyRandom(0), new MergeHistory(), 4)).toBeDefined();
  });

  it('tests a merge on ids where each parent wins, then ties', () => {
    const p = pool([
      seed,
      { texts: { a: 'A1', b: 'B0' }, parents: [0], scores: [1, 1, 1, 0, 0, 0, 0.5, 0.5, 0.5, 0.5] },
      { texts: { a: 'A0', b: 'B2' }, parents: [0], scores: [0, 0, 0, 1, 1, 1, 0.5, 0.5, 0.5, 0.5] },
    ]);
    const ids = mergeSubsample(p, 1, 2, new PyRandom(0));
    expect(ids).toHaveLength(5);
    expect(ids.slice(0, 2).every((id) => id < 3)).toBe(true);
    expect(ids.slice(2, 4).every((id) => id >= 3 && id < 6)).toBe(true);
    expect(ids[4]).toBeGreaterThanOrEqual(6);
  });
});
