import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { MemoryStream, run, tempDir } from './support/run-cli';

// A failed run never exits 0: LM down, LM garbage and a throwing metric, for evaluate and optimize.
describe('exit codes that do not lie', () => {
  describe('sigil evaluate', () => {
    it('exits 0 when every example was scored', async () => {
      const result = await run(['evaluate', 'sentiment.task.ts', '--table', '0']);
      expect(result.code).toBe(0);
    });

    it('exits 1 at once with the LM’s error when nothing listens at the endpoint', async () => {
      const result = await run(['evaluate', 'faulty-down.task.ts', '--table', '0']);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/sigil: LMConnectionError: .*nothing answers there .*ECONNREFUSED/);
      expect(result.stdout).not.toMatch(/^Score:/m);
    });

    it('exits 1 when the LM never answers in the format, saying why', async () => {
      const result = await run(['evaluate', 'faulty-garbage.task.ts', '--table', '0']);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /sigil: \d+ of \d+ examples failed \(LM 0, program \d+, metric 0\), more than --max-errors allows \(0\)/,
      );
      expect(result.stderr).toMatch(/AdapterParseError/);
    });

    it('exits 1 when the metric throws, and tolerates it only within --max-errors', async () => {
      const failed = await run(['evaluate', 'faulty-metric.task.ts', '--table', '0']);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(/metric [1-9]\d*\), more than --max-errors allows \(0\).*fix the metric/);
      const tolerated = await run([
        'evaluate',
        'faulty-metric.task.ts',
        '--table',
        '0',
        '--max-errors',
        '50%',
      ]);
      expect(tolerated.code).toBe(0);
      const bad = await run(['evaluate', 'sentiment.task.ts', '--max-errors', 'many']);
      expect(bad.code).toBe(2);
    });
  });

  describe('sigil optimize', () => {
    const optimize = (task: string, dir: string, extra: string[] = []) =>
      run(
        ['optimize', task, '--optimizer', 'random-search', '--candidates', '2', '--out', 'o.json', ...extra],
        {
          cwd: dir,
        },
      );

    it('exits 0 and saves the program when the run completes', async () => {
      const dir = tempDir();
      const result = await optimize(path.resolve(__dirname, 'fixtures', 'sentiment.task.ts'), dir);
      expect(result.code).toBe(0);
      expect(
        JSON.parse(readFileSync(path.join(dir, 'o.json'), 'utf8')).metadata.sigil.partial,
      ).toBeUndefined();
    });

    it('exits 1 with the LM’s error when the endpoint is down, never printing a ✓ 0% baseline', async () => {
      const result = await optimize(path.resolve(__dirname, 'fixtures', 'faulty-down.task.ts'), tempDir());
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/sigil: LMConnectionError/);
      expect(result.stdout + result.stderr).not.toMatch(/✓ .*0(\.0)?%/);
    });

    it('exits 1 when the LM never answers in the format, with advice that fits', async () => {
      const result = await optimize(path.resolve(__dirname, 'fixtures', 'faulty-garbage.task.ts'), tempDir());
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/Every one of the 8 baseline examples failed.*AdapterParseError/s);
      expect(result.stderr).toMatch(/check its prompts and parsing with sigil inspect/);
    });

    it('exits 1 naming the example and the metric’s stack when the metric throws; --metric-errors score-zero counts them', async () => {
      const task = path.resolve(__dirname, 'fixtures', 'faulty-metric.task.ts');
      const stopped = await optimize(task, tempDir());
      expect(stopped.code).toBe(1);
      expect(stopped.stderr).toMatch(
        /MetricError: The metric threw on example \d+: TypeError: the metric cannot read/,
      );
      expect(stopped.stderr).toMatch(/at .*faulty-task\.ts/);
      const counted = await optimize(task, tempDir(), ['--metric-errors', 'score-zero']);
      expect(counted.code).toBe(0);
      expect(counted.stdout).toMatch(/The metric threw on \d+ examples?; each was scored 0/);
    });

    it('on an interrupt saves the best program so far marked partial and exits 130, pointing at the journal', async () => {
      const dir = tempDir();
      const controller = new AbortController();
      // Interrupt once the second candidate has been scored (the progress lines go to stderr).
      const stderr = new MemoryStream((chunk) => /candidate 2\//.test(chunk) && controller.abort());
      const result = await run(
        [
          'optimize',
          path.resolve(__dirname, 'fixtures', 'sentiment.task.ts'),
          '--optimizer',
          'random-search',
          '--candidates',
          '6',
          '--out',
          'o.json',
        ],
        { cwd: dir, signal: controller.signal, stderr },
      );
      expect(result.code).toBe(130);
      expect(result.stderr).toMatch(/Interrupted: saved the best program so far to o\.json \(marked partial/);
      expect(result.stderr).toMatch(/o\.journal\.jsonl keeps every finished step — continue with --resume/);
      const saved = JSON.parse(readFileSync(path.join(dir, 'o.json'), 'utf8'));
      expect(saved.metadata.sigil.partial).toMatchObject({ stoppedBy: 'interrupted' });
    });
  });

  describe('cache flags with a task that builds its own LM', () => {
    it('applies --no-cache to it and says so in the run header', async () => {
      const result = await run(['evaluate', 'sentiment.task.ts', '--table', '0', '--no-cache']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^LM: .*\(no cache: --no-cache\)$/m);
    });

    it('refuses --cache-dir, saying why and what to do', async () => {
      const result = await run(['evaluate', 'sentiment.task.ts', '--cache-dir', 'elsewhere']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        /--cache-dir applies to an LM the CLI builds \(--lm or SIGIL_LM\), but task "sentiment" builds its own/,
      );
    });
  });
});
