import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Predict } from '@sigil/core';
import { Sentiment } from './fixtures/reviews';
import { FIXTURES, run, tempDir } from './support/run-cli';

const TASK = path.join(FIXTURES, 'sentiment.task.ts');
const TASKS = path.join(FIXTURES, 'tickets.task.ts');

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

  it('numbers MIPRO trials and full evaluations separately, and says best counts full evaluations only', async () => {
    const dir = tempDir();
    const result = await run(
      ['optimize', TASKS, '--optimizer', 'mipro', '--trials', '6', '--out', 'm.json'],
      { cwd: dir },
    );
    expect(result.code).toBe(0);
    const trials = result.stderr.match(/ trial (\d+)\/6 /g) ?? [];
    expect(trials).toHaveLength(6);
    expect(result.stderr).not.toMatch(/trial 7\/6/);
    expect(result.stderr).toMatch(/full evaluation 1 [\d.]+%/);
    expect(result.stderr).toContain('(full evaluations only)');
  });

  it("runs GEPA with the task's reflection LM, a line per iteration, and writes the lineage into the report", async () => {
    const dir = tempDir();
    const result = await run(
      [
        'optimize',
        TASKS,
        '--optimizer',
        'gepa',
        '--max-metric-calls',
        '100',
        '--out',
        'g.json',
        '--report',
        'g.html',
      ],
      { cwd: dir },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Optimizing task "tickets" with GEPA (100 metric calls, seed 0)');
    expect(result.stdout).toContain('Reflection LM: sigil-simulator/tickets');
    expect(result.stdout).toContain("Budget in metric calls (GEPA's own unit): 100");
    expect(result.stderr).toMatch(
      /iteration 0: parent gepa #0 \([\d.]+%\) · self: ".*" · (accepted|rejected)/,
    );
    expect(result.stderr).toMatch(/front [\d.]+% · best gepa #\d+ [\d.]+%/);
    const html = readFileSync(path.join(dir, 'g.html'), 'utf8');
    expect(html).toContain('GEPA: lineage of the candidates');
    expect(html).toContain('class="chart lineage"');
    expect(html).toMatch(/Selection estimate/);
    const saved = JSON.parse(readFileSync(path.join(dir, 'g.json'), 'utf8'));
    expect(saved.signature.instructions).toContain('Route the support ticket');
  });

  it('runs SIMBA', async () => {
    const dir = tempDir();
    const result = await run(
      ['optimize', TASKS, '--optimizer', 'simba', '--steps', '1', '--candidates', '2', '--out', 's.json'],
      {
        cwd: dir,
      },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Optimizing task "tickets" with SIMBA (2 candidates, 1 steps, seed 0)');
    expect(existsSync(path.join(dir, 's.json'))).toBe(true);
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
    const result = await run(['optimize', TASK, '--optimizer', 'grpo']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("option '--optimizer <name>' argument 'grpo' is invalid");
    expect(result.stderr).toContain('mipro, gepa, simba, bootstrap, random-search, labeled');
  });

  it('refuses GEPA without a reflection LM, naming --reflection-lm (never the task LM by accident)', async () => {
    const result = await run([
      'optimize',
      TASK,
      '--optimizer',
      'gepa',
      '--out',
      path.join(tempDir(), 'g.json'),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('GEPA needs a reflection LM');
    expect(result.stderr).toContain('--reflection-lm <model>');
  });

  it('refuses two GEPA budgets at once', async () => {
    const result = await run([
      'optimize',
      TASKS,
      '--optimizer',
      'gepa',
      '--auto',
      'light',
      '--max-metric-calls',
      '50',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('GEPA takes one budget');
  });

  it('rejects an option that does not apply to the chosen optimizer', async () => {
    const result = await run(['optimize', TASK, '--optimizer', 'bootstrap', '--auto', 'light']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--auto applies to --optimizer mipro or gepa, not bootstrap');
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
