import * as path from 'node:path';
import { ChatAdapter, Predict } from '@sigil/core';
import { Sentiment, trainset, valset } from './fixtures/reviews';
import { run, tempDir } from './support/run-cli';

describe('sigil inspect', () => {
  it('prints exactly the messages ChatAdapter.format builds for the example', async () => {
    const result = await run(['inspect', 'sentiment.task.ts', '--example', '2']);
    expect(result.code).toBe(0);
    const predict = new Predict(Sentiment);
    const messages = new ChatAdapter().format(predict.signature, [], valset[2].inputs().toJSON());
    expect(result.stdout).toContain('════ predictor self (Sentiment) — 2 messages ════');
    const expected = messages.map((m) => `──── ${m.role} ────\n${m.content}\n`).join('');
    expect(result.stdout).toContain(expected);
  });

  it('includes the demos and instructions of --state (as JSON with --json)', async () => {
    const dir = tempDir();
    const saved = new Predict(Sentiment);
    saved.instructions = 'Pick the one label that fits best.';
    saved.demos = trainset.slice(0, 2).map((e) => e.toJSON());
    await saved.save(path.join(dir, 'state.json'));

    const result = await run([
      'inspect',
      'sentiment.task.ts',
      '--state',
      path.join(dir, 'state.json'),
      '--json',
    ]);
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout);
    const expected = new ChatAdapter().format(saved.signature, saved.demos, valset[0].inputs().toJSON());
    expect(printed.requests).toHaveLength(1);
    expect(printed.requests[0].messages).toEqual(expected);
    expect(printed.requests[0].messages).toHaveLength(6);
  });

  it('follows a multi-step program through every predictor using placeholder replies', async () => {
    const result = await run(['inspect', 'pipeline.task.ts']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('════ predictor summarize.predict (Summarize) —');
    expect(result.stdout).toContain('════ predictor classify (Sentiment) —');
    expect(result.stdout).toContain('Summary: (placeholder summary)');
    expect(result.stdout).not.toContain('Note: the program stopped');
  });

  it('needs no LM', async () => {
    const result = await run(['inspect', 'no-lm.task.ts']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('──── system ────');
  });

  it('rejects an example index out of range', async () => {
    const result = await run(['inspect', 'sentiment.task.ts', '--example', '99']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      '--example 99 is out of range: the valset of task "sentiment" has 8 examples (0–7)',
    );
  });

  it('rejects a negative example index', async () => {
    const result = await run(['inspect', 'sentiment.task.ts', '--example', '-1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("option '--example <n>' argument '-1' is invalid");
  });

  it('shows every predictor when outputs carry class-validator constraints (@IsIn, @Min/@Max, lengths)', async () => {
    const result = await run(['inspect', 'constrained.task.ts']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('predictor rate (Rate)');
    expect(result.stdout).toContain('predictor classify (Sentiment)');
    expect(result.stdout).toMatch(/\(\d stars, kitchen\)/);
  });
});
