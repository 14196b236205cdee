import type { PyRandom } from '../random/py-random';
import type { CandidateSelection } from './options';
import { argmax, selectFromFronts, topKFronts } from './pareto';
import type { Pool, PoolMember } from './pool';

/** The parent of the next reflective mutation, by GEPA's candidate-selection strategy. */
export function selectParent(pool: Pool, strategy: CandidateSelection, rng: PyRandom): number {
  const aggregates = pool.aggregates();
  switch (strategy) {
    case 'currentBest':
      return argmax(aggregates);
    case 'epsilonGreedy':
      return rng.random() < 0.1 ? rng.randint(0, aggregates.length - 1) : argmax(aggregates);
    case 'topKPareto': {
      const fronts = topKFronts(pool.fronts(), aggregates, 5);
      return fronts.size === 0 ? argmax(aggregates) : selectFromFronts(fronts, aggregates, rng);
    }
    case 'pareto':
      return selectFromFronts(pool.fronts(), aggregates, rng);
  }
}

/**
 * The components to rewrite: every one (`'all'`), or the parent's next one in turn (`'roundRobin'`; the
 * pointer belongs to the candidate, and a child starts from its parents' furthest pointer).
 */
export function selectComponents(
  parent: PoolMember,
  paths: readonly string[],
  selector: 'roundRobin' | 'all',
): string[] {
  if (selector === 'all') return [...paths];
  const pointer = parent.next;
  parent.next = (pointer + 1) % paths.length;
  return [paths[pointer]];
}
