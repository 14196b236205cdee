import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { context } from '@sigil/core';
import { type CandidateEvent, Journal, JournalError, reportOf } from '@sigil/optimize';
import { DemoSensitiveLM, questionAnswerer } from '../support/arithmetic';
import { scenarioData, scenarioSearch } from '../support/resume-scenario';

const directory = mkdtempSync(path.join(tmpdir(), 'sigil-journal-'));
const root = path.resolve(__dirname, '../../../..');

/** Runs the scenario in a child process that SIGKILLs itself after `killAfter` candidates. */
function runAndKill(journal: string, killAfter: number): Promise<NodeJS.Signals | null> {
  const child = fork(path.join(__dirname, '../support/resume-child.ts'), [journal, String(killAfter)], {
    execArgv: ['-r', 'ts-node/register/transpile-only', '-r', path.join(__dirname, '../support/aliases.ts')],
    env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'tsconfig.test.json') },
    stdio: 'inherit',
  });
  return new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
}

function journalLines(file: string): { kind?: string; key?: string; value?: any }[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

describe('journal and resume', () => {
  it('resumes a killed run without re-evaluating journaled candidates, ending where an uninterrupted run ends', async () => {
    const journal = path.join(directory, 'killed.jsonl');
    expect(await runAndKill(journal, 3)).toBe('SIGKILL');
    const candidates = journalLines(journal).filter((line) => line.kind === 'candidate');
    expect(candidates.map((c) => c.key)).toEqual(['seed:-3', 'seed:-2', 'seed:-1']);
    const paidBeforeKill = candidates.reduce((sum, c) => sum + c.value.calls, 0);

    const fullLM = new DemoSensitiveLM();
    const full = await context({ lm: fullLM }, () =>
      scenarioSearch().compile(questionAnswerer(), scenarioData),
    );

    const resumedLM = new DemoSensitiveLM();
    const optimizer = scenarioSearch(journal, true);
    const events: CandidateEvent[] = [];
    optimizer.on('candidate', (event) => events.push(event));
    const resumed = await context({ lm: resumedLM }, () =>
      optimizer.compile(questionAnswerer(), scenarioData),
    );

    expect(events.filter((e) => e.resumed).map((e) => e.key)).toEqual(['seed:-3', 'seed:-2', 'seed:-1']);
    expect(resumedLM.calls).toBe(fullLM.calls - paidBeforeKill);
    expect(resumed.dumpState()).toEqual(full.dumpState());
    const strip = (p: typeof full) => reportOf(p)!.candidates.map(({ resumed: _r, ...c }) => c);
    expect(strip(resumed)).toEqual(strip(full));
    expect(reportOf(resumed)!.bestScore).toBe(reportOf(full)!.bestScore);
    expect(journalLines(journal).filter((line) => line.kind === 'candidate')).toHaveLength(7);
  }, 15000);

  it('makes no LM call when resuming a finished run', async () => {
    const journal = path.join(directory, 'finished.jsonl');
    const first = await context({ lm: new DemoSensitiveLM() }, () =>
      scenarioSearch(journal).compile(questionAnswerer(), scenarioData),
    );
    const lm = new DemoSensitiveLM();
    const again = await context({ lm }, () =>
      scenarioSearch(journal, true).compile(questionAnswerer(), scenarioData),
    );
    expect(lm.calls).toBe(0);
    expect(again.dumpState()).toEqual(first.dumpState());
    expect(reportOf(again)!.candidates.every((c) => c.resumed)).toBe(true);
  });

  it('refuses to resume a journal written for other options or data', async () => {
    const journal = path.join(directory, 'other.jsonl');
    await context({ lm: new DemoSensitiveLM() }, () =>
      scenarioSearch(journal).compile(questionAnswerer(), scenarioData),
    );
    const other = { ...scenarioData, trainset: scenarioData.trainset.slice(1) };
    await expect(
      context({ lm: new DemoSensitiveLM() }, () =>
        scenarioSearch(journal, true).compile(questionAnswerer(), other),
      ),
    ).rejects.toThrow(JournalError);
  });

  it('drops a partial last line left by a kill in the middle of a write', async () => {
    const file = path.join(directory, 'partial.jsonl');
    const journal = await Journal.open(file, { resume: false, optimizer: 'T', identity: { settings: 'f' } });
    await journal.record('candidate', 'a', { score: 1 });
    writeFileSync(file, `${readFileSync(file, 'utf8')}{"type":"entry","kind":"cand`);
    const reopened = await Journal.open(file, { resume: true, optimizer: 'T', identity: { settings: 'f' } });
    expect(reopened.get('candidate', 'a')).toEqual({ score: 1 });
    await reopened.record('candidate', 'b', { score: 2 });
    const again = await Journal.open(file, { resume: true, optimizer: 'T', identity: { settings: 'f' } });
    expect(again.get('candidate', 'b')).toEqual({ score: 2 });
    expect(again.resumed).toBe(2);
  });
});
