import type { Texts } from './components';
import type { Pool } from './pool';
import type { GEPAProposalRecord, ProposalEvent } from './report';

const percent = (raw: number) => Math.round(raw * 10000) / 100;

/** The `proposal` event of a judged proposal: its verdict, and where the pool stands after it. */
export function proposalEvent(
  record: GEPAProposalRecord,
  component: string,
  after: Texts,
  pool: Pool,
  maxMetricCalls: number,
): ProposalEvent {
  const best = pool.best();
  const candidate = record.candidate === undefined ? undefined : pool.members[record.candidate];
  return {
    iteration: record.iteration,
    parents: record.parents,
    component: record.kind === 'merge' ? 'merge' : component,
    before: pool.members[record.parents[0]].texts,
    after,
    accepted: record.status === 'accepted',
    status: record.status,
    scoreBefore: record.before,
    scoreAfter: record.after,
    parentScores: record.parents.map((p) => percent(pool.members[p].aggregate)),
    candidate: candidate?.index,
    valScore: candidate ? percent(candidate.aggregate) : undefined,
    coverage: candidate?.valScores.size,
    frontScore: percent(pool.frontAggregate()),
    bestIndex: best,
    bestScore: percent(pool.members[best].aggregate),
    reason: record.reason,
    metricCalls: record.metricCalls ?? 0,
    maxMetricCalls,
  };
}
