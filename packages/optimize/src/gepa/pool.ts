import { OptimizerError } from '../optimizer/errors';
import { candidateHash, type Texts } from './components';
import type { ExampleRun } from './evaluator';
import { type Fronts, updateFront } from './pareto';

/** GEPA's frontier types: per val example (the default), per objective, both, or per (example, objective). */
export type FrontierType = 'instance' | 'objective' | 'hybrid' | 'cartesian';

/** How a pool member came to be. */
export type Origin =
  { kind: 'seed' } | { kind: 'reflection'; components: string[] } | { kind: 'merge'; ancestor: number };

/** A candidate in GEPA's pool. Scores are the metric's raw values (usually 0…1). */
export interface PoolMember {
  index: number;
  texts: Texts;
  hash: string;
  parents: number[];
  /** The iteration that made it (−1 for the seed). */
  iteration: number;
  origin: Origin;
  /** Per val id, its score. */
  valScores: ReadonlyMap<number, number>;
  /** Mean over the val ids scored. */
  aggregate: number;
  /** Per objective, the mean over the val ids that report it. */
  objectives: Readonly<Record<string, number>>;
  /** Metric calls charged before its valset evaluation. */
  discoveredAt: number;
  /** The next component this candidate mutates as a parent (round robin). */
  next: number;
}

/**
 * GEPA's pool: every accepted candidate with its val scores, and the Pareto fronts over them. Only valset
 * scores enter the fronts, never minibatch scores.
 */
export class Pool {
  readonly members: PoolMember[] = [];
  private readonly instance = new Map<string, { best: number; members: number[] }>();
  private readonly objective = new Map<string, { best: number; members: number[] }>();
  private readonly cartesian = new Map<string, { best: number; members: number[] }>();

  constructor(private readonly frontierType: FrontierType) {}

  /** Adds a candidate scored on the valset; returns its index. */
  add(
    texts: Texts,
    parents: number[],
    iteration: number,
    origin: Origin,
    runs: ReadonlyMap<number, ExampleRun>,
    discoveredAt: number,
  ): PoolMember {
    const index = this.members.length;
    const valScores = new Map([...runs].sort(([a], [b]) => a - b).map(([id, run]) => [id, run.score]));
    const objectives = meanObjectives(runs);
    if (this.frontierType !== 'instance' && Object.keys(objectives).length === 0) {
      throw new OptimizerError(
        `GEPA frontierType '${this.frontierType}' needs the metric to return { score, objectives } on every valset ` +
          "example (from the seed's evaluation on) — return objectives, or use frontierType 'instance'.",
      );
    }
    const scores = [...valScores.values()];
    const member: PoolMember = {
      index,
      texts,
      hash: candidateHash(texts),
      parents,
      iteration,
      origin,
      valScores,
      aggregate: scores.length === 0 ? 0 : scores.reduce((a, b) => a + b, 0) / scores.length,
      objectives,
      discoveredAt,
      next: Math.max(0, ...parents.map((p) => this.members[p].next)),
    };
    this.members.push(member);
    for (const [id, score] of valScores) updateFront(this.instance, String(id), score, index);
    for (const [name, score] of Object.entries(objectives)) updateFront(this.objective, name, score, index);
    for (const [id, run] of runs) {
      for (const [name, score] of Object.entries(run.objectives ?? {})) {
        updateFront(this.cartesian, `${id}:${name}`, score, index);
      }
    }
    return member;
  }

  /** The fronts parent and merge selection use (by the frontier type). */
  fronts(): Fronts {
    switch (this.frontierType) {
      case 'instance':
        return this.instance;
      case 'objective':
        return this.objective;
      case 'cartesian':
        return this.cartesian;
      case 'hybrid':
        return new Map([
          ...[...this.instance].map(([k, v]) => [`val:${k}`, v] as const),
          ...[...this.objective].map(([k, v]) => [`objective:${k}`, v] as const),
        ]);
    }
  }

  /** The per-val-id fronts (what the report shows, whatever steers selection). */
  get instanceFronts(): Fronts {
    return this.instance;
  }

  aggregates(): number[] {
    return this.members.map((m) => m.aggregate);
  }

  /** The candidate to return: highest aggregate, then more val ids scored, then the lower index. */
  best(): number {
    let best = 0;
    for (const m of this.members) {
      const b = this.members[best];
      if (m.aggregate > b.aggregate || (m.aggregate === b.aggregate && m.valScores.size > b.valScores.size)) {
        best = m.index;
      }
    }
    return best;
  }

  /** Every ancestor of `index` (parents, their parents …). */
  ancestors(index: number): Set<number> {
    const found = new Set<number>();
    const visit = (node: number) => {
      for (const parent of this.members[node].parents) {
        if (!found.has(parent)) {
          found.add(parent);
          visit(parent);
        }
      }
    };
    visit(index);
    return found;
  }

  /** Mean over ids of the best score reached there (the front's aggregate). */
  frontAggregate(): number {
    const bests = [...this.instance.values()].map((f) => f.best);
    return bests.length === 0 ? 0 : bests.reduce((a, b) => a + b, 0) / bests.length;
  }
}

function meanObjectives(runs: ReadonlyMap<number, ExampleRun>): Record<string, number> {
  const sums = new Map<string, { total: number; count: number }>();
  for (const run of runs.values()) {
    for (const [name, score] of Object.entries(run.objectives ?? {})) {
      const entry = sums.get(name) ?? { total: 0, count: 0 };
      entry.total += score;
      entry.count++;
      sums.set(name, entry);
    }
  }
  return Object.fromEntries([...sums].map(([name, { total, count }]) => [name, total / count]));
}
