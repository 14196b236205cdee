import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { context, exactMatch, f1, type Metric } from '@sigil/core';
import { metricIdentity } from '@sigil/core/internal';
import { BootstrapRandomSearch, type CandidateEvent, Journal, JournalError, reportOf } from '@sigil/optimize';
import { DemoSensitiveLM, exact, questionAnswerer } from '../support/arithmetic';
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

  describe('run identity', () => {
    const search = (journal: string, metric: Metric, options: { resume?: boolean; fresh?: boolean } = {}) =>
      new BootstrapRandomSearch({ metric, numCandidatePrograms: 1, seed: 1, journal, ...options });
    const run = (optimizer: BootstrapRandomSearch) =>
      context({ lm: new DemoSensitiveLM() }, () => optimizer.compile(questionAnswerer(), scenarioData));

    it('refuses to resume a journal written with another metric, naming the metrics', async () => {
      const journal = path.join(directory, 'metric.jsonl');
      await run(search(journal, exactMatch('answer')));
      const refusal = await run(search(journal, f1('label'), { resume: true })).catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(JournalError);
      expect(refusal).toMatchObject({ code: 'JOURNAL_MISMATCH', file: journal });
      expect((refusal as JournalError).differences).toEqual([
        'metric: exactMatch({"field":"answer"}) → f1({"field":"label"})',
      ]);
      expect((refusal as Error).message).toMatch(/metric: exactMatch.* → f1/);
    });

    it('never gives two different anonymous metrics the same identity', async () => {
      const metrics: Metric[] = [
        (e, p) => e.answer === p.answer,
        (e, p) => e.answer.trim() === p.answer.trim(),
      ];
      const [a, b] = metrics.map(metricIdentity);
      expect(a).not.toBe(b);
      expect(a).toMatch(/^anonymous#[0-9a-f]{16}$/);
      expect(metricIdentity(exactMatch('answer'))).toBe(metricIdentity(exactMatch('answer')));
      expect(metricIdentity(exactMatch('answer'))).not.toBe(metricIdentity(exactMatch('label')));
      const journal = path.join(directory, 'anonymous.jsonl');
      await run(search(journal, metrics[0]));
      await expect(run(search(journal, metrics[1], { resume: true }))).rejects.toMatchObject({
        code: 'JOURNAL_MISMATCH',
        differences: [expect.stringMatching(/^metric: anonymous#\w+ → anonymous#\w+$/)],
      });
    });

    it('refuses to restart an existing journal unless asked to, and never overwrites a file that is not one', async () => {
      const journal = path.join(directory, 'existing.jsonl');
      await run(search(journal, exact));
      await expect(run(search(journal, exact))).rejects.toMatchObject({ code: 'JOURNAL_EXISTS' });
      await expect(run(search(journal, exact, { fresh: true }))).resolves.toBeDefined();
      const dataset = path.join(directory, 'dataset.jsonl');
      const rows = Array.from({ length: 90 }, (_, i) =>
        JSON.stringify({ question: `q${i}`, answer: `${i}` }),
      ).join('\n');
      writeFileSync(dataset, rows);
      for (const options of [{}, { fresh: true }, { resume: true }]) {
        await expect(run(search(dataset, exact, options))).rejects.toMatchObject({
          code: 'JOURNAL_NOT_A_JOURNAL',
        });
      }
      expect(readFileSync(dataset, 'utf8')).toBe(rows);
    });
  });
});
