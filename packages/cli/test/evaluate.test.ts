import { writeFileSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Predict } from '@sigil/core';
import { FakeOpenAIServer } from '@sigil/testing';
import { Sentiment, trainset } from './fixtures/reviews';
import { FIXTURES, run, tempDir } from './support/run-cli';

describe('sigil evaluate', () => {
  it('prints the score, the results and failures tables, usage and cost', async () => {
    const result = await run(['evaluate', 'sentiment.task.ts', '--table', '3']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Evaluating task "sentiment" on 8 valset examples');
    expect(result.stdout).toContain('simulator, not a model');
    expect(result.stdout).toContain('First 3 results:');
    expect(result.stdout).toMatch(/Failures \(first \d\):/);
    expect(result.stdout).toMatch(/Score: [\d.]+% over 8 examples/);
    expect(result.stdout).toMatch(
      /LM calls: 8 \(paid 8, cached 0, failed 0\) · tokens [\d,]+ .* cost \$0\.0000/,
    );
  });

  it('loads a JavaScript task whose LM is a ScriptedLM and writes every result to --results', async () => {
    const dir = tempDir();
    const result = await run(
      ['evaluate', path.join(FIXTURES, 'scripted.task.js'), '--results', 'out.jsonl'],
      {
        cwd: dir,
      },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('on 4 trainset (the task has no valset) examples');
    expect(result.stdout).toContain('Score: 50% over 4 examples');
    expect(readFileSync(path.join(dir, 'out.jsonl'), 'utf8').trim().split('\n')).toHaveLength(4);
  });

  it('applies --state before evaluating', async () => {
    const dir = tempDir();
    const program = new Predict(Sentiment);
    program.instructions = 'Answer with exactly one of the allowed labels, carefully.';
    program.demos = trainset.slice(0, 4).map((e) => e.toJSON());
    await program.save(path.join(dir, 'state.json'));
    const result = await run(['evaluate', 'sentiment.task.ts', '--state', path.join(dir, 'state.json')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`State: ${path.join(dir, 'state.json')}`);
  });

  it('runs a model named by --lm against OPENAI_BASE_URL and never prints the key', async () => {
    const server = new FakeOpenAIServer({ reply: '[[ ## label ## ]]\npositive\n\n[[ ## completed ## ]]' });
    const baseURL = await server.start();
    try {
      const key = 'sk-test-secret-key-1234';
      const result = await run(['evaluate', 'no-lm.task.ts', '--lm', 'openai/fake-model', '--no-cache'], {
        env: { OPENAI_BASE_URL: baseURL, OPENAI_API_KEY: key },
      });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`LM: openai/fake-model at ${baseURL} (no cache)`);
      expect(server.chatRequests).toHaveLength(8);
      expect(server.chatRequests[0].headers.authorization).toBe(`Bearer ${key}`);
      expect(result.stdout + result.stderr).not.toContain(key);
    } finally {
      await server.stop();
    }
  });

  it('prefers SIGIL_LM over the task lm', async () => {
    const server = new FakeOpenAIServer({ reply: '[[ ## label ## ]]\nneutral\n\n[[ ## completed ## ]]' });
    const baseURL = await server.start();
    try {
      const result = await run(['evaluate', 'sentiment.task.ts', '--no-cache', '--table', '0'], {
        env: { SIGIL_LM: 'openai/from-env', OPENAI_BASE_URL: baseURL },
      });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('LM: openai/from-env');
      expect(server.chatRequests[0].body.model).toBe('openai/from-env');
    } finally {
      await server.stop();
    }
  });
});

describe('sigil evaluate: bad input', () => {
  it('names a missing task file', async () => {
    const result = await run(['evaluate', 'missing.task.ts']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('sigil: Task file missing.task.ts does not exist');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('names a task file without a default export and lists what it exports', async () => {
    const result = await run(['evaluate', 'no-default.task.ts']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'Task file no-default.task.ts has no default export (it exports examples, size)',
    );
  });

  it('says which task fields are missing from an export that is not a task', async () => {
    const result = await run(['evaluate', 'not-a-task.task.ts']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'The default export of not-a-task.task.ts is not a task: it is missing program, metric',
    );
  });

  it('explains how to configure an LM when there is none', async () => {
    const result = await run(['evaluate', 'no-lm.task.ts']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('No LM configured for task no-lm.task.ts: pass --lm <model>');
    expect(result.stderr).toContain('SIGIL_LM');
  });

  it('reports a state file that does not exist or is not JSON', async () => {
    const missing = await run(['evaluate', 'sentiment.task.ts', '--state', 'nowhere.json']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/sigil: --state: Saved program .*nowhere\.json does not exist/);

    const dir = tempDir();
    writeFileSync(path.join(dir, 'broken.json'), '{ not json');
    const broken = await run(['evaluate', 'sentiment.task.ts', '--state', path.join(dir, 'broken.json')]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/broken\.json is not valid JSON/);
  });

  it('rejects a number option that is not a number, naming the option', async () => {
    const result = await run(['evaluate', 'sentiment.task.ts', '--concurrency', 'lots']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("option '--concurrency <n>' argument 'lots' is invalid");
    expect(result.stderr).toContain('whole number ≥ 1');
  });

  it('prints stack traces only with --verbose', async () => {
    const result = await run(['evaluate', 'missing.task.ts', '--verbose']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\n\s+at /);
  });
});
