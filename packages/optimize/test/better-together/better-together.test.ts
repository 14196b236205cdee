import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { context, exactMatch } from '@sigil/core';
import { FakeOpenAIServer, type RecordedRequest } from '@sigil/testing';
import {
  BetterTogether,
  betterTogetherOf,
  BootstrapFewShot,
  OptimizerError,
  reportOf,
} from '@sigil/optimize';
import { fakeLM, finetuner, Solver, sumReply, sums } from '../support/finetune-task';

const metric = exactMatch('answer');
const outputDir = () => mkdtempSync(path.join(tmpdir(), 'sigil-better-together-'));

/** The base model misses 5 + 5; a fine-tuned one never does. */
function reply(request: RecordedRequest): string {
  const text = sumReply(request);
  return String(request.body.model).startsWith('ft:') ? text.replace('\n11\n', '\n10\n') : text;
}

describe('BetterTogether', () => {
  let server: FakeOpenAIServer;
  let baseURL: string;

  beforeEach(async () => {
    server = new FakeOpenAIServer({ reply, fineTuning: { polls: 1 } });
    baseURL = await server.start();
  });
  afterEach(() => server.stop());

  function optimizer(strategy: string) {
    return new BetterTogether({
      metric,
      strategy,
      optimizers: {
        p: new BootstrapFewShot({ metric, maxBootstrappedDemos: 2, maxLabeledDemos: 2 }),
        w: finetuner({ outputDir: outputDir() }),
      },
    });
  }

  it('runs the steps in the order given, each on the last one’s program, and returns the best', async () => {
    const lm = fakeLM(baseURL);
    const optimized = await context({ lm }, () =>
      optimizer('p -> w -> p').compile(new Solver(), { trainset: sums(), valset: sums() }),
    );
    const report = reportOf(optimized)!;
    expect(report.steps.map((s) => s.name)).toEqual([
      'baseline',
      '1: p (BootstrapFewShot)',
      'score after p',
      '2: w (BootstrapFinetune)',
      'score after p -> w',
      '3: p (BootstrapFewShot)',
      'score after p -> w -> p',
    ]);
    const { candidates } = betterTogetherOf(optimized)!;
    expect(candidates.map((c) => [c.strategy, c.score])).toEqual([
      ['p -> w', 100],
      ['p -> w -> p', 100],
      ['', 83.33],
      ['p', 83.33],
    ]);
    expect(report.baselineScore).toBe(83.33);
    expect(report.bestScore).toBe(100);
    // The best is the fine-tuned program, with the demos the first prompt step gave it.
    expect(optimized.solve.lm?.model).toBe('ft:gpt-4o-mini:sigil-fake::000001');
    expect(optimized.solve.demos).toHaveLength(2);
    // The last prompt step ran its teacher on the fine-tuned model.
    const finetuned = server.chatRequests.filter((r) => r.body.model === 'ft:gpt-4o-mini:sigil-fake::000001');
    expect(finetuned.length).toBeGreaterThan(6);
    expect(server.fineTuning.jobs).toHaveLength(1);
  });

  it('holds out the first tenth of the trainset when no valset is given', async () => {
    const trainset = [...sums(), ...sums(), ...sums(), ...sums()].map((e, i) =>
      e.with({ question: `${e.question} (${i})` }),
    );
    const optimized = await context({ lm: fakeLM(baseURL) }, () =>
      new BetterTogether({
        metric,
        strategy: 'p',
        optimizers: { p: new BootstrapFewShot({ metric }) },
      }).compile(new Solver(), { trainset }),
    );
    expect(betterTogetherOf(optimized)!.candidates.map((c) => c.strategy)).toEqual(['', 'p']);
    // The baseline scored the first 2 (a tenth of 24); the prompt step never saw them.
    const asked = server.chatRequests.map((r) => String(r.body.messages.at(-1).content));
    expect(
      asked
        .slice(0, 2)
        .map((text) => /\((\d+)\)/.exec(text)?.[1])
        .sort(),
    ).toEqual(['0', '1']);
    const prompted = betterTogetherOf(optimized)!.candidates.find((c) => c.strategy === 'p')!
      .program as Solver;
    expect(prompted.solve.demos.length).toBeGreaterThan(0);
    expect(JSON.stringify(prompted.solve.demos)).not.toMatch(/\((0|1)\)/);
  });

  it('stops at a failing step and returns the best program so far, with the error', async () => {
    server.fineTuning.setPlan({ polls: 1, outcome: 'failed' });
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const optimized = await context({ lm: fakeLM(baseURL) }, () =>
        optimizer('p -> w -> p').compile(new Solver(), { trainset: sums(), valset: sums() }),
      );
      const result = betterTogetherOf(optimized)!;
      expect(result.candidates.map((c) => c.strategy)).toEqual(['', 'p']);
      expect(result.error).toMatchObject({ code: 'FINETUNE_JOB_FAILED', jobId: 'ftjob-000001' });
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('step 2 (w, BootstrapFinetune) failed'), {
        code: 'SIGIL_BETTERTOGETHER_STEP_FAILED',
      });
      expect(optimized.solve.lm).toBeUndefined();
    } finally {
      warn.mockRestore();
    }
  });

  it('refuses a strategy naming an optimizer it was not given', () => {
    expect(() => optimizer('p -> x')).toThrow(OptimizerError);
    expect(() => optimizer('p -> x')).toThrow(/unknown optimizer\(s\) "x"; the keys are p, w/);
    expect(() => new BetterTogether({ metric, strategy: ' ' })).toThrow(OptimizerError);
  });
});
