import type { GEPAEngine } from './engine';
import type { GEPACandidateRecord, GEPAReport } from './report';

const percent = (raw: number) => Math.round(raw * 10000) / 100;

/** `report.gepa` of a finished run: the pool with its lineage, every proposal, and the fronts. */
export function gepaReport(engine: GEPAEngine, bestIndex: number, maxMetricCalls: number): GEPAReport {
  const fronts = engine.pool.instanceFronts;
  const frontCount = new Map<number, number>();
  for (const { members } of fronts.values())
    for (const m of members) frontCount.set(m, (frontCount.get(m) ?? 0) + 1);
  const candidates = engine.pool.members.map((member): GEPACandidateRecord => {
    const record: GEPACandidateRecord = {
      index: member.index,
      parents: [...member.parents],
      iteration: member.iteration,
      origin: member.origin.kind,
      valScore: percent(member.aggregate),
      valScores: Object.fromEntries([...member.valScores].map(([id, score]) => [String(id), score])),
      discoveredAt: member.discoveredAt,
      onFront: (frontCount.get(member.index) ?? 0) > 0,
      fronts: frontCount.get(member.index) ?? 0,
      texts: { ...member.texts },
    };
    if (member.origin.kind === 'reflection') record.components = [...member.origin.components];
    if (member.origin.kind === 'merge') record.ancestor = member.origin.ancestor;
    const test = engine.tests.get(member.index);
    if (test) record.minibatch = { ...test, ids: [...test.ids] };
    return record;
  });
  return {
    candidates,
    proposals: engine.proposals,
    fronts: Object.fromEntries(
      [...fronts].map(([id, front]) => [id, { best: front.best, candidates: [...front.members] }]),
    ),
    bestIndex,
    metricCalls: engine.metricCalls,
    maxMetricCalls,
    fullValEvals: engine.fullValEvals,
    mergesTested: engine.mergesTested,
    mergesDue: engine.mergesDue,
    iterations: engine.iteration + 1,
  };
}
