// Records fixtures/gepa-replay.json: `node -r ts-node/register/transpile-only -r ./aliases.ts record-gepa-replay.ts`
// Re-record only with an explanation of why every prompt changed (see gepa/replay.test.ts).
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { context } from '@sigil/core';
import { reportOf } from '@sigil/optimize';
import { replayScenario } from './gepa-replay-scenario';
import { RecordingLM } from './replay-lm';

async function main(): Promise<void> {
  const scenario = replayScenario();
  const lm = new RecordingLM(scenario.simulator());
  const optimized = await context({ lm }, () =>
    scenario.optimizer(lm).compile(scenario.program(), scenario.data),
  );
  const report = reportOf(optimized)!;
  const fixture = {
    note: 'Replies of a deterministic GEPA run on the knowledge landscape, keyed by exact request (sha256).',
    model: lm.model,
    calls: lm.calls,
    replies: lm.replies,
    expected: { state: optimized.dumpState(), gepa: report.gepa, bestScore: report.bestScore },
  };
  writeFileSync(
    path.join(__dirname, '../gepa/fixtures/gepa-replay.json'),
    `${JSON.stringify(fixture, null, 1)}\n`,
  );
  console.log(`${Object.keys(lm.replies).length} replies recorded`);
}

void main();
