import { context } from '@sigil/core';
import { BootstrapRandomSearch, BudgetExceededError, type CandidateEvent, reportOf } from '@sigil/optimize';
import { arithmeticExamples, DemoSensitiveLM, exact, questionAnswerer, scoreOn } from '../support/arithmetic';

const trainset = arithmeticExamples(12);
const valset = arithmeticExamples(24, 300);

function search(options: Partial<ConstructorParameters<typeof BootstrapRandomSearch>[0]> = {}) {
  return new BootstrapRandomSearch({
    metric: exact,
    numCandidatePrograms: 4,
    maxBootstrappedDemos: 3,
    ...options,
  });
}

describe('BootstrapRandomSearch', () => {
  it('scores zero-shot, labelled, unshuffled and shuffled candidates and returns the best', async () => {
    const lm = new DemoSensitiveLM();
    await context({ lm }, async () => {
      const program = questionAnswerer();
      const optimizer = search();
      const events: CandidateEvent[] = [];
      optimizer.on('candidate', (event) => events.push(event));
      const optimized = await optimizer.compile(program, { trainset, valset });
      const report = reportOf(optimized)!;
      expect(report.candidates.map((c) => c.key)).toEqual([
        'seed:-3',
        'seed:-2',
        'seed:-1',
        'seed:0',
        'seed:1',
        'seed:2',
        'seed:3',
      ]);
      expect(report.candidates[0].state.demos).toEqual([]);
      expect(events.map((e) => e.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(report.baselineScore).toBe(report.candidates[0].score);
      expect(report.bestScore).toBe(Math.max(...report.candidates.map((c) => c.score)));
      expect(report.bestScore).toBeGreaterThan(report.baselineScore! + 30);
      expect(report.stoppedBy).toBe('completed');
      expect(report.calls.total).toBe(lm.calls);
      expect(await scoreOn(optimized, valset)).toBe(report.bestScore);
      expect(await scoreOn(program, valset)).toBe(report.baselineScore);
    });
  });

  it('plans teacher runs once plus one valset pass per candidate, and stays within that', async () => {
    const lm = new DemoSensitiveLM();
    const optimizer = search();
    const estimate = optimizer.estimate(questionAnswerer(), { trainset, valset });
    expect(estimate.programCalls).toBe(12 + 7 * 24);
    expect(estimate.lmCalls).toBe(12 + 7 * 24);
    await context({ lm }, () => optimizer.compile(questionAnswerer(), { trainset, valset }));
    expect(lm.calls).toBeLessThanOrEqual(estimate.lmCalls);
  });

  it('gives the same demos and score for the same seed, and other shuffles for another seed', async () => {
    const run = (seed: number) =>
      context({ lm: new DemoSensitiveLM() }, () =>
        search({ seed, concurrency: seed + 1 }).compile(questionAnswerer(), { trainset, valset }),
      );
    const [a, b, c] = await Promise.all([run(3), run(3), run(4)]);
    expect(a.demos).toEqual(b.demos);
    expect(reportOf(a)!.candidates).toEqual(reportOf(b)!.candidates);
    const shuffled = (p: typeof a) =>
      reportOf(p)!
        .candidates.slice(3)
        .map((x) => x.state);
    expect(shuffled(c)).not.toEqual(shuffled(a));
  });

  it('stops cleanly at maxCalls with the best program so far', async () => {
    const lm = new DemoSensitiveLM();
    const optimizer = search({ maxCalls: 70 });
    const optimized = await context({ lm }, () =>
      optimizer.compile(questionAnswerer(), { trainset, valset }),
    );
    const report = reportOf(optimized)!;
    expect(report.stoppedBy).toBe('budget');
    expect(lm.calls).toBeLessThanOrEqual(70);
    expect(report.calls.paid).toBe(lm.calls);
    expect(report.candidates.length).toBeGreaterThanOrEqual(2);
    expect(report.candidates.length).toBeLessThan(7);
    expect(await context({ lm }, () => scoreOn(optimized, valset))).toBe(report.bestScore);
  });

  it('stops at maxCost too, and does not count cached answers against the budget', async () => {
    const lm = new DemoSensitiveLM({ cache: true, cost: 0.01 });
    const first = await context({ lm }, () =>
      search({ maxCost: 0.5 }).compile(questionAnswerer(), { trainset, valset }),
    );
    expect(reportOf(first)!.stoppedBy).toBe('budget');
    expect(reportOf(first)!.cost).toBeLessThan(0.5 + 0.01 * 8 + 1e-9);
    const again = await context({ lm }, () =>
      search({ maxCost: 0.5 }).compile(questionAnswerer(), { trainset, valset }),
    );
    const report = reportOf(again)!;
    expect(report.calls.cached).toBeGreaterThan(0);
    expect(report.candidates.length).toBeGreaterThan(reportOf(first)!.candidates.length);
  });

  it('throws BudgetExceededError when not even the zero-shot baseline fits the budget', async () => {
    const lm = new DemoSensitiveLM();
    await expect(
      context({ lm }, () => search({ maxCalls: 10 }).compile(questionAnswerer(), { trainset, valset })),
    ).rejects.toThrow(BudgetExceededError);
    expect(lm.calls).toBeLessThanOrEqual(10);
  });
});
