import type { PyRandom } from '../random/py-random';

/**
 * A Pareto front per key (a val id for GEPA's instance frontier): the best score any candidate reached
 * there and the candidates that reach it exactly, in ascending index. Keys keep their first-seen order.
 */
export type Fronts = ReadonlyMap<string, { readonly best: number; readonly members: readonly number[] }>;

/** Adds candidate `index`'s score at `key`: a better score replaces the front, an equal one joins it. */
export function updateFront(
  fronts: Map<string, { best: number; members: number[] }>,
  key: string,
  score: number,
  index: number,
): void {
  const front = fronts.get(key);
  if (!front || score > front.best) fronts.set(key, { best: score, members: [index] });
  else if (score === front.best && !front.members.includes(index)) {
    front.members.push(index);
    front.members.sort((a, b) => a - b);
  }
}

/**
 * The fronts with dominated candidates removed, as GEPA prunes them: the candidates on any front, in
 * ascending aggregate (ties in first-seen order), are scanned; the first one all of whose fronts also hold
 * another candidate still standing is removed, and the scan restarts, until a scan removes nothing.
 */
export function pruneDominated(fronts: Fronts, aggregates: readonly number[]): Map<string, number[]> {
  const seen: number[] = [];
  for (const { members } of fronts.values()) for (const m of members) if (!seen.includes(m)) seen.push(m);
  const order = seen
    .map((candidate, position) => ({ candidate, position }))
    .sort((a, b) => aggregates[a.candidate] - aggregates[b.candidate] || a.position - b.position)
    .map((entry) => entry.candidate);
  const removed = new Set<number>();
  const dominated = (y: number): boolean => {
    for (const { members } of fronts.values()) {
      if (!members.includes(y)) continue;
      if (!members.some((other) => other !== y && !removed.has(other))) return false;
    }
    return true;
  };
  for (let found = true; found;) {
    found = false;
    for (const y of order) {
      if (removed.has(y) || !dominated(y)) continue;
      removed.add(y);
      found = true;
      break;
    }
  }
  const pruned = new Map<string, number[]>();
  for (const [key, { members }] of fronts)
    pruned.set(
      key,
      members.filter((m) => !removed.has(m)),
    );
  return pruned;
}

/**
 * Each surviving candidate repeated once per front that holds it, in order of first appearance when the
 * fronts are walked in key order: a uniform choice from this list picks p with P = freq[p] / Σ freq.
 */
export function samplingList(pruned: ReadonlyMap<string, readonly number[]>): number[] {
  const frequency = new Map<number, number>();
  for (const members of pruned.values()) {
    for (const m of members) frequency.set(m, (frequency.get(m) ?? 0) + 1);
  }
  return [...frequency].flatMap(([candidate, count]) => Array<number>(count).fill(candidate));
}

/** GEPA's Pareto parent selection: prune, weigh by front count, draw one with `rng.choice`. */
export function selectFromFronts(fronts: Fronts, aggregates: readonly number[], rng: PyRandom): number {
  const list = samplingList(pruneDominated(fronts, aggregates));
  return rng.choice(list);
}

/** The candidates that survive pruning (merge's pool), in ascending index. */
export function dominators(fronts: Fronts, aggregates: readonly number[]): number[] {
  const survivors = new Set<number>();
  for (const members of pruneDominated(fronts, aggregates).values())
    for (const m of members) survivors.add(m);
  return [...survivors].sort((a, b) => a - b);
}

/** The fronts restricted to the `k` best candidates by aggregate (fronts left empty are dropped). */
export function topKFronts(
  fronts: Fronts,
  aggregates: readonly number[],
  k: number,
): Map<string, { best: number; members: number[] }> {
  const top = new Set(
    aggregates
      .map((score, index) => ({ score, index }))
      .sort((a, b) => b.score - a.score || a.index - b.index)
      .slice(0, k)
      .map((entry) => entry.index),
  );
  const out = new Map<string, { best: number; members: number[] }>();
  for (const [key, front] of fronts) {
    const members = front.members.filter((m) => top.has(m));
    if (members.length > 0) out.set(key, { best: front.best, members });
  }
  return out;
}

/** The index of the highest value; the first one on a tie (Python's `lst.index(max(lst))`). */
export function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
