import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Predict } from '@sigil/core';
import { Sentiment } from './fixtures/reviews';
import { FIXTURES, run, tempDir } from './support/run-cli';

const TASK = path.join(FIXTURES, 'sentiment.task.ts');

describe('sigil optimize', () => {
  it('prints the estimate, progress lines and a summary, and saves a state that loads', async () => {
    const dir = tempDir();
    const result = await run(
      ['optimize', TASK, '--optimizer', 'mipro', '--trials', '4', '--out', 'best.json'],
      {
        cwd: dir,
      },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Optimizing task "sentiment" with MIPRO (auto: light, 4 trials, seed 0)');
    expect(result.stdout).toMatch(/Estimate: about \d+ LM calls, at most [\d,]+/);
    expect(result.stdout.indexOf('Estimate')).toBeLessThan(result.stdout.indexOf('Baseline score'));
    expect(result.stderr).toContain('▸ baseline…');
    expect(result.stderr).toMatch(/trial 4\/4 [\d.]+%/);
    for (const row of ['Baseline score', 'Optimized score', 'LM calls', 'Tokens', 'Cost', 'Wall time']) {
      expect(result.stdout).toContain(row);
    }
    expect(result.stdout).toContain('Saved the optimized program to best.json');

    const loaded = await new Predict(Sentiment).load(path.join(dir, 'best.json'));
    const saved = JSON.parse(readFileSync(path.join(dir, 'best.json'), 'utf8'));
    expect(loaded.instructions).toBe(saved.signature.instructions);
    expect(existsSync(path.join(dir, 'best.journal.jsonl'))).toBe(true);
  });

  it('saves to optimized/<task>.json by default and replays the journal with --resume', async () => {
    const dir = tempDir();
    const args = ['optimize', TASK, '--optimizer', 'random-search', '--candidates', '2'];
    const first = await run(args, { cwd: dir });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Saved the optimized program to optimized/sentiment.json');
    const firstState = readFileSync(path.join(dir, 'optimized', 'sentiment.json'), 'utf8');

    const resumed = await run([...args, '--resume'], { cwd: dir });
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain('Journal: optimized/sentiment.journal.jsonl (resuming');
    expect(resumed.stderr.match(/\[from journal\]/g)).toHaveLength(5);
    expect(resumed.stdout).toMatch(/LM calls +│ 0 \(paid 0/);
    expect(readFileSync(path.join(dir, 'optimized', 'sentiment.json'), 'utf8')).toBe(firstState);
  });

  it.each([['bootstrap'], ['labeled']])('runs --optimizer %s', async (optimizer) => {
    const dir = tempDir();
    const result = await run(['optimize', TASK, '--optimizer', optimizer, '--out', 'out.json'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Optimized score');
    expect(existsSync(path.join(dir, 'out.json'))).toBe(true);
  });

  it('stops at --budget-calls and keeps the best program so far', async () => {
    const dir = tempDir();
    const result = await run(['optimize', TASK, '--trials', '6', '--budget-calls', '30', '--out', 'b.json'], {
      cwd: dir,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Budget: 30 paid calls');
    expect(result.stdout).toContain('The budget ran out');
  });
});

describe('sigil optimize: bad input', () => {
  it('rejects an unknown optimizer and lists the known ones', async () => {
    const result = await run(['optimize', TASK, '--optimizer', 'gepa']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("option '--optimizer <name>' argument 'gepa' is invalid");
    expect(result.stderr).toContain('mipro, bootstrap, random-search, labeled');
  });

  it('rejects an option that does not apply to the chosen optimizer', async () => {
    const result = await run(['optimize', TASK, '--optimizer', 'bootstrap', '--auto', 'light']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--auto applies to --optimizer mipro, not bootstrap');
  });

  it('rejects a budget that is not a number', async () => {
    const result = await run(['optimize', TASK, '--budget-cost', 'cheap']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "option '--budget-cost <usd>' argument 'cheap' is invalid. expected a number ≥ 0.",
    );
  });

  it('explains how to configure an LM when there is none', async () => {
    const result = await run(['optimize', 'no-lm.task.ts', '--out', path.join(tempDir(), 'x.json')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('No LM configured for task no-lm.task.ts');
  });

  it('refuses to resume a journal written for another run', async () => {
    const dir = tempDir();
    const base = ['optimize', TASK, '--optimizer', 'random-search', '--out', 'o.json'];
    expect((await run([...base, '--candidates', '1'], { cwd: dir })).code).toBe(0);
    const result = await run([...base, '--candidates', '2', '--resume'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/sigil: JournalError: .*o\.journal\.jsonl/);
  });

  it('refuses to silently restart an existing journal: --resume continues it, --fresh replaces it', async () => {
    const dir = tempDir();
    const base = ['optimize', TASK, '--optimizer', 'random-search', '--candidates', '1', '--out', 'o.json'];
    expect((await run(base, { cwd: dir })).code).toBe(0);
    const again = await run(base, { cwd: dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /o\.journal\.jsonl already holds the journal of a BootstrapRandomSearch run/,
    );
    expect(again.stderr).toMatch(/--resume.*--fresh/);
    expect((await run([...base, '--fresh'], { cwd: dir })).code).toBe(0);
    expect((await run([...base, '--resume', '--fresh'], { cwd: dir })).code).toBe(2);
  });
});
