import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { context } from '@sigil/core';
import { reportOf } from '@sigil/optimize';
import { gepaScenario } from '../support/gepa-scenario';

const directory = mkdtempSync(path.join(tmpdir(), 'sigil-gepa-resume-'));
const root = path.resolve(__dirname, '../../../..');

function runAndKill(journal: string, killAtCall: number): Promise<NodeJS.Signals | null> {
  const child = fork(path.join(__dirname, '../support/gepa-resume-child.ts'), [journal, String(killAtCall)], {
    execArgv: ['-r', 'ts-node/register/transpile-only', '-r', path.join(__dirname, '../support/aliases.ts')],
    env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'tsconfig.test.json'), NODE_NO_WARNINGS: '1' },
    stdio: 'inherit',
  });
  return new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
}

function entries(file: string, kind: string): number {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.includes(`"kind":"${kind}"`)).length;
}

async function uninterrupted() {
  const scenario = gepaScenario();
  const optimized = await context({ lm: scenario.lm }, () =>
    scenario.optimizer().compile(scenario.program(), scenario.data),
  );
  return { optimized, calls: scenario.lm.calls };
}

describe('GEPA kill and resume', () => {
  it('a run SIGKILLed in the middle of an evaluation resumes to the same program and report, repaying no journaled LM call', async () => {
    const killAt = 60;
    const journal = path.join(directory, `killed-${killAt}.jsonl`);
    expect(await runAndKill(journal, killAt)).toBe('SIGKILL');
    const journaledCalls = entries(journal, 'gepa-eval') + entries(journal, 'gepa-reflect');
    expect(journaledCalls).toBeGreaterThan(0);
    expect(journaledCalls).toBeLessThan(killAt);

    const full = await uninterrupted();
    const scenario = gepaScenario(journal, true);
    const resumed = await context({ lm: scenario.lm }, () =>
      scenario.optimizer().compile(scenario.program(), scenario.data),
    );
    // Every journaled unit is one LM call of the task or reflection LM: none of them is paid again.
    expect(scenario.lm.calls).toBe(full.calls - journaledCalls);
    expect(resumed.dumpState()).toEqual(full.optimized.dumpState());
    expect(reportOf(resumed)!.gepa).toEqual(reportOf(full.optimized)!.gepa);
    const strip = (p: typeof resumed) => reportOf(p)!.candidates.map(({ resumed: _r, calls: _c, ...c }) => c);
    expect(strip(resumed)).toEqual(strip(full.optimized));
  }, 30000);

  it("a run stopped by its LM budget during the seed's valset evaluation keeps the examples that finished", async () => {
    const journal = path.join(directory, 'budget.jsonl');
    const first = gepaScenario(journal);
    const stopped = first.optimizer();
    Object.assign(stopped.options, { maxCalls: 9 });
    await expect(
      context({ lm: first.lm }, () => stopped.compile(first.program(), first.data)),
    ).rejects.toMatchObject({
      code: 'BUDGET_EXCEEDED',
    });
    const kept = entries(journal, 'gepa-eval');
    expect(kept).toBe(9);
    const full = await uninterrupted();
    const scenario = gepaScenario(journal, true);
    const resumed = await context({ lm: scenario.lm }, () =>
      scenario.optimizer().compile(scenario.program(), scenario.data),
    );
    expect(scenario.lm.calls).toBe(full.calls - kept);
    expect(reportOf(resumed)!.gepa).toEqual(reportOf(full.optimized)!.gepa);
  });
});
