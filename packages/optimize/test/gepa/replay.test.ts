import { context } from '@sigil/core';
import { reportOf } from '@sigil/optimize';
import fixture from './fixtures/gepa-replay.json';
import { replayScenario } from '../support/gepa-replay-scenario';
import { ReplayLM } from '../support/replay-lm';

// fixtures/gepa-replay.json holds every reply of a recorded deterministic run, keyed by the exact request
// (test/support/record-gepa-replay.ts wrote it). Replaying it must reach the same program and report: a
// miss or a difference means a prompt's bytes (the reflection template, JSON key order) or a decision (an
// RNG draw) changed — a parity or determinism bug to explain, not a fixture to re-record silently.
describe('GEPA replay of a recorded run', () => {
  it('replays to the same best candidate and report, asking only recorded prompts', async () => {
    const scenario = replayScenario();
    const lm = new ReplayLM(fixture.model, fixture.replies);
    const optimized = await context({ lm }, () =>
      scenario.optimizer(lm).compile(scenario.program(), scenario.data),
    );
    const report = reportOf(optimized)!;
    expect(optimized.dumpState()).toEqual(fixture.expected.state);
    expect(report.bestScore).toBe(fixture.expected.bestScore);
    expect(JSON.parse(JSON.stringify(report.gepa))).toEqual(fixture.expected.gepa);
    expect(lm.calls).toBe(fixture.calls);
  });
});
