import { context, Example, exactMatch, Predict, signature } from '@sigil/core';
import { reportOf, SIMBA } from '@sigil/optimize';
import { knowledgeLandscape } from '@sigil/testing';
import {
  bucketsOf,
  finishIndices,
  finishPositions,
  percentile,
  type SampledRun,
} from '../../src/simba/sampling';
import { appendADemo, appendARule } from '../../src/simba/strategies';
import { QueueLM } from '../support/gepa-harness';

const run = (example: number, score: number, extra: Partial<SampledRun> = {}): SampledRun => ({
  example,
  program: 0,
  score,
  outputs: { answer: String(score) },
  trace: [{ predictor: 'self', inputs: { question: `q${example}` }, outputs: { answer: String(score) } }],
  metadata: {},
  ...extra,
});

describe('SIMBA buckets, gates and finish', () => {
  it('orders buckets by (max − min, max, max − mean), descending', () => {
    // Two variants × three examples; runs are listed variant by variant, as SIMBA samples them.
    const runs = [run(0, 1), run(1, 0.5), run(2, 1), run(0, 0), run(1, 0.5), run(2, 0.5)];
    const buckets = bucketsOf(runs, 3);
    expect(buckets.map((b) => b.runs[0].example)).toEqual([0, 2, 1]);
    expect(buckets.map((b) => b.stats)).toEqual([
      [1, 1, 0.5],
      [0.5, 1, 0.25],
      [0, 0.5, 0],
    ]);
    expect(buckets[0].runs.map((r) => r.score)).toEqual([1, 0]);
  });

  it('breaks gap ties by the maximum, then by max − mean', () => {
    const runs = [
      run(0, 0.5),
      run(1, 1),
      run(2, 1),
      run(0, 0),
      run(1, 0.5),
      run(2, 0.5),
      run(0, 0),
      run(1, 0.5),
      run(2, 1),
    ];
    expect(bucketsOf(runs, 3).map((b) => b.runs[0].example)).toEqual([1, 2, 0]);
  });

  it('interpolates percentiles linearly, as numpy', () => {
    expect(percentile([0, 1, 2, 3, 4], 10)).toBeCloseTo(0.4);
    expect(percentile([0, 1, 2, 3, 4], 90)).toBeCloseTo(3.6);
    expect(percentile([1, 0, 0, 0], 90)).toBeCloseTo(0.7);
  });

  it('picks the winners at round(i·M/(N−1)) with halves to even: [0, 0, 1, 2, 2, 2, 3] → [0, 1, 2, 3]', () => {
    expect(finishPositions(3, 7)).toEqual([0, 0, 1, 2, 2, 2, 3]);
    expect(finishIndices(3, 7)).toEqual([0, 1, 2, 3]);
    expect(finishIndices(0, 7)).toEqual([0]);
  });

  it('appends a demo only when the best run is above the 10th percentile', () => {
    const example = Example.from({ question: 'q0', answer: 'a0' }).withInputs('question');
    const ctx = { p10: 0.5, p90: 1, demoInputFieldMaxlen: 100_000, example };
    const low = new Predict(signature('question -> answer'));
    expect(appendADemo({ runs: [run(0, 0.5), run(0, 0)], stats: [0.5, 0.5, 0.25] }, low, ctx).applied).toBe(
      false,
    );
    expect(low.demos).toHaveLength(0);
    const high = new Predict(signature('question -> answer'));
    expect(appendADemo({ runs: [run(0, 1), run(0, 0)], stats: [1, 1, 0.5] }, high, ctx).applied).toBe(true);
    expect(high.demos).toEqual([{ augmented: true, question: 'q0', answer: '1' }]);
  });

  it('asks for a rule only when the best run is above the 10th and the worst below the 90th percentile', async () => {
    const example = Example.from({ question: 'q0', answer: 'a0' }).withInputs('question');
    const advisor = new QueueLM(['unused']);
    const program = () => new Predict(signature('question -> answer', 'Answer.'));
    const gated = [
      { p10: 1, p90: 1 },
      { p10: 0, p90: 0 },
    ];
    for (const { p10, p90 } of gated) {
      const outcome = await appendARule({ runs: [run(0, 1), run(0, 0)], stats: [1, 1, 0.5] }, program(), {
        p10,
        p90,
        demoInputFieldMaxlen: 100,
        example,
        promptModel: advisor,
      });
      expect(outcome.applied).toBe(false);
    }
    expect(advisor.calls).toBe(0);
  });
});

describe('SIMBA on the knowledge landscape', () => {
  const land = knowledgeLandscape({ seed: 2, rulesPerQueue: 1 });
  const examples = land.items.map((item) =>
    Example.from({ ...item.inputs, ...item.answers }).withInputs('ticket'),
  );

  it('appends rules the advice reveals, and returns a winner at least as good as the baseline on the trainset', async () => {
    const lm = land.simulator();
    const simba = new SIMBA({
      metric: exactMatch('queue'),
      bsize: 8,
      numCandidates: 3,
      maxSteps: 3,
      seed: 1,
    });
    const optimized = await context({ lm }, () =>
      simba.compile(new Predict(signature('ticket -> queue', land.instruction)), {
        trainset: examples.slice(0, 24),
      }),
    );
    const report = reportOf(optimized)!;
    expect(report.simba!.steps).toHaveLength(3);
    expect(report.simba!.steps.every((s) => s.buckets.length > 0 && s.candidateScores.length > 0)).toBe(true);
    expect(report.bestScore).toBeGreaterThanOrEqual(report.baselineScore!);
    expect(report.trials.filter((t) => t.kind === 'evaluation').map((t) => t.number)).toEqual(
      report.simba!.finalists.map((_, i) => i + 1),
    );
    const applied = report
      .simba!.steps.flatMap((s) => s.buckets)
      .filter((b) => b.strategy === 'appendARule' && b.applied);
    expect(applied.length).toBeGreaterThan(0);
  });

  it('refuses a trainset smaller than bsize', async () => {
    const simba = new SIMBA({ metric: exactMatch('queue'), bsize: 32 });
    await expect(
      context({ lm: land.simulator() }, () =>
        simba.compile(new Predict(signature('ticket -> queue')), { trainset: examples.slice(0, 10) }),
      ),
    ).rejects.toMatchObject({ code: 'OPTIMIZER_INPUT' });
  });

  it('resumes from its journal without paying again for journaled work', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const journal = path.join(mkdtempSync(path.join(tmpdir(), 'sigil-simba-')), 'run.jsonl');
    const options = { metric: exactMatch('queue'), bsize: 8, numCandidates: 3, maxSteps: 2, seed: 4 };
    const program = () => new Predict(signature('ticket -> queue', land.instruction));
    const data = { trainset: examples.slice(0, 16) };
    const cut = land.simulator();
    await context({ lm: cut }, () =>
      new SIMBA({ ...options, journal, maxCalls: 40 }).compile(program(), data),
    );
    const fullLM = land.simulator();
    const full = await context({ lm: fullLM }, () => new SIMBA(options).compile(program(), data));
    const resumedLM = land.simulator();
    const resumed = await context({ lm: resumedLM }, () =>
      new SIMBA({ ...options, journal, resume: true }).compile(program(), data),
    );
    expect(resumed.dumpState()).toEqual(full.dumpState());
    expect(resumedLM.calls).toBeLessThanOrEqual(fullLM.calls - 30);
  });
});
