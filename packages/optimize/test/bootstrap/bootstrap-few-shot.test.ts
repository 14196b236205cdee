import { context, Predict, signature } from '@sigil/core';
import { BootstrapFewShot, LabeledFewShot, reportOf } from '@sigil/optimize';
import {
  arithmeticExamples,
  DemoSensitiveLM,
  exact,
  questionAnswerer,
  RewriteThenAnswer,
  scoreOn,
} from '../support/arithmetic';

const trainset = arithmeticExamples(16);
const valset = arithmeticExamples(40, 200);

describe('LabeledFewShot', () => {
  it('gives every predictor k labelled demos and improves the valset score', async () => {
    const lm = new DemoSensitiveLM();
    await context({ lm }, async () => {
      const program = questionAnswerer();
      const optimized = await new LabeledFewShot({ k: 4 }).compile(program, { trainset });
      expect(optimized.demos).toHaveLength(4);
      expect(optimized.demos[0]).toEqual(
        expect.objectContaining({ question: expect.any(String), answer: expect.any(String) }),
      );
      expect(program.demos).toHaveLength(0);
      expect(await scoreOn(optimized, valset)).toBeGreaterThan((await scoreOn(program, valset)) + 30);
    });
  });

  it('makes no LM call and plans none without a valset', async () => {
    const lm = new DemoSensitiveLM();
    const optimizer = new LabeledFewShot({ k: 2 });
    expect(optimizer.estimate(questionAnswerer(), { trainset }).lmCalls).toBe(0);
    const optimized = await context({ lm }, () => optimizer.compile(questionAnswerer(), { trainset }));
    expect(lm.calls).toBe(0);
    expect(reportOf(optimized)?.calls.total).toBe(0);
  });
});

describe('BootstrapFewShot', () => {
  it('turns passing teacher traces into augmented demos and improves the valset score', async () => {
    const lm = new DemoSensitiveLM();
    await context({ lm }, async () => {
      const program = questionAnswerer();
      const optimizer = new BootstrapFewShot({ metric: exact, maxBootstrappedDemos: 3, maxLabeledDemos: 5 });
      const optimized = await optimizer.compile(program, { trainset, valset });
      const augmented = optimized.demos.filter((demo) => demo.augmented === true);
      expect(augmented).toHaveLength(3);
      expect(optimized.demos).toHaveLength(5);
      for (const demo of augmented) expect(Object.keys(demo)).toEqual(['augmented', 'question', 'answer']);
      const report = reportOf(optimized)!;
      expect(report.bestScore).toBeGreaterThan(report.baselineScore! + 30);
      expect(report.steps.map((s) => s.name)).toEqual(['baseline', 'bootstrap', 'final']);
      expect(report.calls.total).toBe(lm.calls);
      expect(report.calls.paid).toBe(lm.calls);
      expect(report.cost).toBeCloseTo(lm.calls * 0.001);
      expect(await scoreOn(optimized, valset)).toBe(report.bestScore);
    });
  });

  it('assigns the demos of a multi-predictor program to the predictor that made each call', async () => {
    const lm = new DemoSensitiveLM();
    // Labelled examples have no `query`, so the teacher's second predictor gets hand-written demos.
    const teacher = new RewriteThenAnswer();
    teacher.respond.demos = [1, 2, 3, 4].map((n) => ({
      query: `Compute ${n} + ${n}`,
      answer: String(2 * n),
    }));
    await context({ lm }, async () => {
      const optimized = await new BootstrapFewShot({
        metric: exact,
        maxBootstrappedDemos: 2,
        maxLabeledDemos: 4,
      }).compile(new RewriteThenAnswer(), { trainset, teacher });
      const rewrite = optimized.rewrite.demos.filter((demo) => demo.augmented);
      const respond = optimized.respond.demos.filter((demo) => demo.augmented);
      expect(rewrite).toHaveLength(2);
      expect(respond).toHaveLength(2);
      for (const demo of rewrite) expect(Object.keys(demo)).toEqual(['augmented', 'question', 'query']);
      for (const demo of respond) expect(Object.keys(demo)).toEqual(['augmented', 'query', 'answer']);
      // The two demos of a run come from the same example: the query rewrites the question.
      expect(respond.map((demo) => demo.query)).toEqual(rewrite.map((demo) => demo.query));
      expect(String(respond[0].query)).toMatch(/^Compute \d+ \+ \d+$/);
      expect(await scoreOn(optimized, valset)).toBeGreaterThan(
        (await scoreOn(new RewriteThenAnswer(), valset)) + 20,
      );
    });
  });

  it('asks for a fresh sample (rolloutId, temperature 1) in rounds after the first', async () => {
    const lm = new DemoSensitiveLM();
    // A metric nothing passes: every example goes through all rounds.
    await context({ lm }, () =>
      new BootstrapFewShot({ metric: () => false, maxRounds: 3, maxLabeledDemos: 0 }).compile(
        questionAnswerer(),
        {
          trainset: trainset.slice(0, 2),
        },
      ),
    );
    expect(lm.log.map((call) => [call.options?.rolloutId, call.options?.temperature])).toEqual(
      expect.arrayContaining([
        [undefined, undefined],
        [1, 1],
        [2, 1],
      ]),
    );
    expect(lm.calls).toBe(6);
  });

  it('counts per-predictor LMs and teacher LMs, and gives the program its own LM back', async () => {
    const own = new DemoSensitiveLM();
    const teacherLM = new DemoSensitiveLM();
    const program = new Predict(signature('question -> answer'), { lm: own });
    const optimized = await new BootstrapFewShot({
      metric: exact,
      teacherSettings: { lm: teacherLM },
      maxBootstrappedDemos: 2,
    }).compile(program, { trainset, teacher: questionAnswerer() });
    const report = reportOf(optimized)!;
    expect(teacherLM.calls).toBeGreaterThan(0);
    expect(report.calls.total).toBe(own.calls + teacherLM.calls);
    expect(optimized.lm).toBe(own);
    expect(program.demos).toHaveLength(0);
  });

  it('estimates its LM calls before running', () => {
    const optimizer = new BootstrapFewShot({ metric: exact, maxRounds: 2 });
    expect(optimizer.estimate(new RewriteThenAnswer(), { trainset, valset })).toEqual({
      // Expected: bootstrapping stops at about two teacher runs per demo (4 demos → 8 of 16 examples);
      // at most: every example in both rounds, every re-ask (2) and the JSON fallback of both predictors.
      lmCalls: (8 + 80) * 2,
      maxLmCalls: (16 * 2 + 80) * 2 * 4,
      programCalls: 16 * 2 + 80,
      steps: [
        { name: 'baseline and final', programCalls: 80 },
        { name: 'bootstrap', programCalls: 32 },
      ],
    });
  });

  it('chooses no labelled demo that can never reach a predictor’s prompt (no input or no output of it)', async () => {
    const optimized = await new LabeledFewShot({ k: 4 }).compile(new RewriteThenAnswer(), { trainset });
    // Examples hold { question, answer }: `question -> query` has no output there, `query -> answer` no input.
    expect(optimized.rewrite.demos).toEqual([]);
    expect(optimized.respond.demos).toEqual([]);
    const single = await new LabeledFewShot({ k: 4 }).compile(questionAnswerer(), { trainset });
    expect(single.demos).toHaveLength(4);
  });
});
