import type { PyRandom } from '../random/py-random';
import type { Texts } from './components';
import { dominators } from './pareto';
import type { Pool } from './pool';

/** A merge child built from two pool members and an ancestor they share. */
export interface MergeChild {
  texts: Texts;
  i: number;
  j: number;
  ancestor: number;
  /** Per component, the pool member its text comes from. */
  descriptor: number[];
}

/** The merges tried so far: (i, j, ancestor) triples and (i, j, descriptor) products. */
export class MergeHistory {
  readonly triples = new Set<string>();
  readonly products = new Set<string>();
}

const ATTEMPTS = 10;

/**
 * System-aware crossover: two Pareto survivors i < j that are not each other's ancestors, and a common
 * ancestor a (no better than either) where, for some component, one side still holds a's text while the
 * other changed it. The child starts from a and takes, per component, the changed side's text (the
 * better-scoring side when both changed it, a coin flip on a tie; i's when both agree). Up to 10 attempts
 * of up to 10 pair draws each, as the reference engine makes them.
 */
export function buildMerge(
  pool: Pool,
  components: readonly string[],
  rng: PyRandom,
  history: MergeHistory,
  overlapFloor: number,
): MergeChild | undefined {
  const candidates = dominators(pool.fronts(), pool.aggregates());
  if (candidates.length < 2 || pool.members.length < 3) return undefined;
  const agg = pool.aggregates();
  const texts = (index: number) => pool.members[index].texts;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const found = findPair(pool, candidates, components, rng, history, agg);
    if (!found) continue;
    const { i, j, ancestor } = found;
    if (history.triples.has(`${i},${j},${ancestor}`)) continue;
    const child: Record<string, string> = { ...texts(ancestor) };
    const descriptor: number[] = [];
    for (const name of components) {
      const a = texts(ancestor)[name];
      const ti = texts(i)[name];
      const tj = texts(j)[name];
      let source: number;
      if ((a === ti || a === tj) && ti !== tj) source = a === ti ? j : i;
      else if (a !== ti && a !== tj) source = agg[i] > agg[j] ? i : agg[j] > agg[i] ? j : rng.choice([i, j]);
      else source = i;
      child[name] = texts(source)[name];
      descriptor.push(source);
    }
    const product = `${i},${j},${descriptor.join('/')}`;
    if (history.products.has(product)) continue;
    if (sharedValIds(pool, i, j).length < overlapFloor) continue;
    history.products.add(product);
    return { texts: child, i, j, ancestor, descriptor };
  }
  return undefined;
}

function findPair(
  pool: Pool,
  candidates: readonly number[],
  components: readonly string[],
  rng: PyRandom,
  history: MergeHistory,
  agg: readonly number[],
): { i: number; j: number; ancestor: number } | undefined {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (candidates.length < 2) return undefined;
    let [i, j] = rng.sample(candidates, 2);
    if (i === j) continue;
    if (j < i) [i, j] = [j, i];
    const ancestorsI = pool.ancestors(i);
    const ancestorsJ = pool.ancestors(j);
    if (ancestorsI.has(j) || ancestorsJ.has(i)) continue;
    const common = [...ancestorsI].filter((a) => ancestorsJ.has(a)).sort((a, b) => a - b);
    const kept = common.filter(
      (a) =>
        !history.triples.has(`${i},${j},${a}`) &&
        agg[a] <= agg[i] &&
        agg[a] <= agg[j] &&
        hasDesirableComponent(pool, components, a, i, j),
    );
    if (kept.length === 0) continue;
    const [ancestor] = rng.choices(
      kept,
      1,
      kept.map((a) => agg[a]),
    );
    return { i, j, ancestor };
  }
  return undefined;
}

/** Some component where exactly one side still holds the ancestor's text (and the two sides differ). */
function hasDesirableComponent(
  pool: Pool,
  components: readonly string[],
  a: number,
  i: number,
  j: number,
): boolean {
  const t = (index: number, name: string) => pool.members[index].texts[name];
  return components.some(
    (name) => (t(a, name) === t(i, name) || t(a, name) === t(j, name)) && t(i, name) !== t(j, name),
  );
}

/** The val ids both candidates have scores on, ascending. */
export function sharedValIds(pool: Pool, i: number, j: number): number[] {
  const other = pool.members[j].valScores;
  return [...pool.members[i].valScores.keys()].filter((id) => other.has(id)).sort((a, b) => a - b);
}

/**
 * The val ids a merge child is tested on: up to ⌈n/3⌉ where i beats j, as many where j beats i, then ties,
 * each drawn with `rng.sample`; topped up from the unused shared ids, then with replacement.
 */
export function mergeSubsample(pool: Pool, i: number, j: number, rng: PyRandom, size = 5): number[] {
  const scoresI = pool.members[i].valScores;
  const scoresJ = pool.members[j].valScores;
  const common = sharedValIds(pool, i, j);
  const iWins = common.filter((id) => scoresI.get(id)! > scoresJ.get(id)!);
  const jWins = common.filter((id) => scoresJ.get(id)! > scoresI.get(id)!);
  const ties = common.filter((id) => !iWins.includes(id) && !jWins.includes(id));
  const each = Math.max(1, Math.ceil(size / 3));
  const selected: number[] = [];
  for (const bucket of [iWins, jWins, ties]) {
    if (selected.length >= size) break;
    const available = bucket.filter((id) => !selected.includes(id));
    const take = Math.min(available.length, each, size - selected.length);
    if (take > 0) selected.push(...rng.sample(available, take));
  }
  const remaining = size - selected.length;
  if (remaining > 0) {
    const unused = common.filter((id) => !selected.includes(id));
    if (unused.length >= remaining) selected.push(...rng.sample(unused, remaining));
    else if (common.length > 0) selected.push(...rng.choices(common, remaining));
  }
  return selected.slice(0, size);
}
