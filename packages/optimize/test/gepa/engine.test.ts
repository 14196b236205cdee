import { context, defineMetric, type Metric, type Module } from '@sigil/core';
import { GEPA, type GEPAOptions, type GEPAReport, reportOf, type TrialEvent } from '@sigil/optimize';
import { EvenOdd, KeywordLM, keyedExamples, metric, QueueLM, single } from '../support/gepa-harness';

const data = { trainset: keyedExamples(0, 9), valset: keyedExamples(100, 10) };

async function runGEPA(
  texts: string[],
  options: Partial<GEPAOptions> = {},
  program: Module = single(),
): Promise<{ report: GEPAReport; reflection: QueueLM; lm: KeywordLM; trials: TrialEvent[]; optimized: any }> {
  const reflection = new QueueLM(texts);
  const lm = new KeywordLM();
  const gepa = new GEPA({
    metric,
    maxMetricCalls: 30,
    reflectionLM: reflection,
    useMerge: false,
    ...options,
  });
  const trials: TrialEvent[] = [];
  gepa.on('trial', (t) => trials.push(t));
  const optimized = await context({ lm }, () => gepa.compile(program, data));
  return { report: reportOf(optimized)!.gepa!, reflection, lm, trials, optimized };
}

describe('GEPA metric-call accounting (|V| = 10, b = 3)', () => {
  it('charges 10 for the seed, 6 for a rejected iteration and 16 for an accepted one, stopping at the first top ≥ 30', async () => {
    const { report } = await runGEPA(['no help', 'ALL']);
    expect(report.proposals.map((p) => [p.status, p.metricCalls])).toEqual([
      ['rejected', 16],
      ['accepted', 32],
    ]);
    expect(report.metricCalls).toBe(32);
    expect(report.iterations).toBe(2);
    expect(report.fullValEvals).toBe(2);
  });

  it('charges 3 for a perfect-score skip (the parent minibatch only)', async () => {
    const { report } = await runGEPA(['ALL']);
    expect(report.proposals.map((p) => [p.status, p.metricCalls])).toEqual([
      ['accepted', 26],
      ['skipped-perfect', 29],
      ['skipped-perfect', 32],
    ]);
  });

  it.each([
    [0, 'rejected', 5],
    [10, 'accepted', 15],
  ])(
    'charges at most 5 for a merge test, plus the valset when accepted (seed %i: %s, %i calls)',
    async (seed, status, calls) => {
      const texts = ['q0 q2 q4 q6 q8 q100 q102', 'q1 q3 q5 q7 q101 q103', 'nothing'];
      const { report } = await runGEPA(
        texts,
        { seed, useMerge: true, maxMetricCalls: 60 },
        new EvenOdd('Answer A. q104 q106', 'Answer B. q105 q107'),
      );
      const at = report.proposals.findIndex((p) => p.kind === 'merge');
      const merge = report.proposals[at];
      expect(merge).toMatchObject({ status, parents: [1, 2], split: 'val' });
      expect(merge.ids).toHaveLength(5);
      expect(merge.metricCalls! - report.proposals[at - 1].metricCalls!).toBe(calls);
      expect(report.mergesTested).toBe(1);
      // Two accepted children earned two merges; a rejected merge does not use its up.
      expect(report.mergesDue).toBe(status === 'accepted' ? 1 : 2);
      if (status === 'accepted') {
        expect(report.candidates[3]).toMatchObject({
          origin: 'merge',
          parents: [1, 2],
          ancestor: 0,
          texts: { a: report.candidates[1].texts.a, b: report.candidates[2].texts.b },
        });
      }
    },
  );
});

describe('GEPA cacheEvaluation', () => {
  it("serves a merge child's valset evaluation from its subsample's scores (cached ids cost no metric call)", async () => {
    const texts = ['q0 q2 q4 q6 q8 q100 q102', 'q1 q3 q5 q7 q101 q103', 'nothing'];
    const program = () => new EvenOdd('Answer A. q104 q106', 'Answer B. q105 q107');
    const plain = await runGEPA(texts, { seed: 10, useMerge: true, maxMetricCalls: 60 }, program());
    const cached = await runGEPA(
      texts,
      { seed: 10, useMerge: true, maxMetricCalls: 60, cacheEvaluation: true },
      program(),
    );
    const calls = (report: GEPAReport) => {
      const at = report.proposals.findIndex((p) => p.kind === 'merge');
      return report.proposals[at].metricCalls! - report.proposals[at - 1].metricCalls!;
    };
    const merge = cached.report.proposals.find((p) => p.kind === 'merge')!;
    expect(merge.status).toBe('accepted');
    expect(calls(plain.report)).toBe(15);
    expect(calls(cached.report)).toBe(5 + 10 - new Set(merge.ids).size);
    expect(cached.report.candidates[3].valScores).toEqual(plain.report.candidates[3].valScores);
  });
});

describe('GEPA minibatches', () => {
  it('goes on past a padded minibatch that holds an example twice (10 train examples, b = 3)', async () => {
    const reflection = new QueueLM(['no help']);
    const gepa = new GEPA({ metric, maxMetricCalls: 40, reflectionLM: reflection, useMerge: false });
    const optimized = await context({ lm: new KeywordLM() }, () =>
      gepa.compile(single(), { trainset: keyedExamples(0, 10), valset: keyedExamples(100, 10) }),
    );
    const report = reportOf(optimized)!.gepa!;
    // The fourth minibatch of the first epoch is padded ([6, 6, 0]): it costs 3 calls per evaluation like any other.
    expect(report.proposals[3].ids).toEqual([6, 6, 0]);
    expect(report.iterations).toBe(5);
    expect(report.metricCalls).toBe(40);
  });
});

describe('GEPA acceptance', () => {
  it("rejects a child whose minibatch sum equals the parent's under 'strict', and accepts it under 'improvementOrEqual'", async () => {
    const strict = await runGEPA(['no help'], { maxMetricCalls: 12 });
    expect(strict.report.proposals[0]).toMatchObject({ status: 'rejected', before: 0, after: 0 });
    expect(strict.report.proposals[0].reason).toMatch(/is not better than/);
    const equal = await runGEPA(['no help'], { maxMetricCalls: 12, acceptance: 'improvementOrEqual' });
    expect(equal.report.proposals[0]).toMatchObject({ status: 'accepted', before: 0, after: 0 });
  });

  it("updates the fronts with an accepted child's valset scores, not its minibatch scores", async () => {
    // The child knows its three train questions (accepted on the minibatch) and two val questions only.
    const { report, trials } = await runGEPA([`q0 q1 q2 q3 q4 q5 q6 q7 q8 q100 q101`], {
      maxMetricCalls: 20,
    });
    expect(report.proposals[0].status).toBe('accepted');
    const child = report.candidates[1];
    expect(child.valScore).toBe(20);
    expect(
      Object.entries(report.fronts)
        .filter(([, f]) => f.candidates.includes(1))
        .map(([id]) => id),
    ).toEqual(expect.arrayContaining(['0', '1']));
    expect(report.fronts['0']).toEqual({ best: 1, candidates: [1] });
    expect(report.fronts['5']).toEqual({ best: 0, candidates: [0, 1] });
    expect(trials.filter((t) => t.kind === 'evaluation').map((t) => [t.number, t.fidelity, t.score])).toEqual(
      [
        [1, 'full', 0],
        [2, 'full', 20],
      ],
    );
  });
});

describe('GEPA round robin', () => {
  it("mutates the seed's components in turn, and a child inherits its parent's pointer", async () => {
    // Nothing helps, so the seed stays the only parent: A, then B, then A again.
    const seedOnly = await runGEPA(['no help'], { maxMetricCalls: 28 }, new EvenOdd());
    expect(seedOnly.report.proposals.map((p) => p.components)).toEqual([['a'], ['b'], ['a']]);
    // The first proposal (on A; seed 1's first minibatch holds an even question) is accepted; its child,
    // chosen next, mutates B.
    const inherited = await runGEPA(
      ['ALL', 'no help'],
      { seed: 1, maxMetricCalls: 40, candidateSelection: 'currentBest' },
      new EvenOdd(),
    );
    expect(inherited.report.proposals[0]).toMatchObject({
      components: ['a'],
      status: 'accepted',
      candidate: 1,
    });
    expect(inherited.report.proposals[1]).toMatchObject({ parents: [1], components: ['b'] });
  });
});

describe('GEPA feedback', () => {
  it('shows "This trajectory got a score of 0.5." when the metric returns a bare 0.5', async () => {
    const half: Metric = defineMetric('half', () => 0.5);
    const { reflection } = await runGEPA(['x'], {
      metric: half,
      maxMetricCalls: 12,
      skipPerfectScore: false,
    });
    expect(reflection.prompts[0]).toContain('## Feedback\nThis trajectory got a score of 0.5.\n\n');
  });

  it("passes the predictor's path and call to the metric's feedback call", async () => {
    const targets: unknown[] = [];
    const spy: Metric = defineMetric('spy', (example, prediction, _trace, target) => {
      if (target) targets.push(target);
      return { score: prediction.answer === example.answer ? 1 : 0, feedback: `expected ${example.answer}` };
    });
    await runGEPA(['x'], { metric: spy, maxMetricCalls: 12 });
    expect(targets[0]).toEqual({
      predictor: 'self',
      calls: [
        {
          predictor: 'self',
          inputs: { question: expect.stringMatching(/^q\d$/) },
          outputs: { answer: 'wrong' },
        },
      ],
    });
  });
});
