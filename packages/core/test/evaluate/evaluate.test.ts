import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Evaluate, EvaluationError, Example, exactMatch, Prediction, type Metric } from '@sigil/core';
import { type EvaluationProgress, type Runnable } from '@sigil/core/internal';

type QA = { question: string; answer: string };

const devset = (count: number) =>
  Array.from({ length: count }, (_, index) =>
    Example.from({ question: `q${index}`, answer: `a${index}` }).withInputs('question'),
  );

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Answers `a<n>` for `q<n>` after a random delay; throws for the questions in `failOn`. */
function fakeProgram(options: { failOn?: Set<string>; maxDelayMs?: number; wrong?: Set<string> } = {}) {
  let inFlight = 0;
  let peak = 0;
  const program: Runnable<{ question: string }, Prediction> = {
    async forward({ question }) {
      inFlight++;
      peak = Math.max(peak, inFlight);
      try {
        await sleep(Math.random() * (options.maxDelayMs ?? 5));
        if (options.failOn?.has(question)) throw new Error(`boom on ${question}`);
        const answer = options.wrong?.has(question) ? 'wrong' : question.replace('q', 'a');
        return Prediction.from(
          { answer },
          { usage: { promptTokens: 3, completionTokens: 2, cachedTokens: 0, totalTokens: 5 }, cost: 0.5 },
        );
      } finally {
        inFlight--;
      }
    },
  };
  return { program, peak: () => peak };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-evaluate-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Evaluate', () => {
  it('keeps results in input order under concurrency with random delays, within the concurrency limit', async () => {
    const { program, peak } = fakeProgram({ maxDelayMs: 10 });
    const report = await new Evaluate({
      devset: devset(200),
      metric: exactMatch('answer'),
      concurrency: 8,
      progress: false,
    }).run(program);
    expect(report.results.map((result) => result.example.question)).toEqual(
      devset(200).map((e) => e.question),
    );
    expect(report.results.map((result) => result.index)).toEqual([...Array(200).keys()]);
    expect(report.results.every((result) => result.prediction.answer === result.example.answer)).toBe(true);
    expect(report.score).toBe(100);
    expect(report.total).toBe(200);
    expect(peak()).toBeLessThanOrEqual(8);
    expect(peak()).toBeGreaterThan(1);
  });

  it('sums usage and cost, and reports the mean score in percent', async () => {
    const { program } = fakeProgram({ wrong: new Set(['q1', 'q2', 'q3']) });
    const report = await new Evaluate({
      devset: devset(8),
      metric: exactMatch('answer'),
      progress: false,
    }).run(program);
    expect(report.score).toBe(62.5);
    expect(report.usage).toEqual({
      promptTokens: 24,
      completionTokens: 16,
      cachedTokens: 0,
      totalTokens: 40,
    });
    expect(report.cost).toBe(4);
    expect(report.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('counts a throwing program as failureScore, records the error and goes on', async () => {
    const { program } = fakeProgram({ failOn: new Set(['q2', 'q5']) });
    const report = await new Evaluate({
      devset: devset(10),
      metric: exactMatch('answer'),
      failureScore: 0.5,
      progress: false,
    }).run(program);
    expect(report.errors).toBe(2);
    expect(report.score).toBe(90);
    expect(report.results[2].score).toBe(0.5);
    expect(report.results[2].error).toEqual(new Error('boom on q2'));
    expect(report.results[2].prediction.keys()).toEqual([]);
    expect(report.results[3].error).toBeUndefined();
  });

  it('counts a throwing metric and a non-object output as failures', async () => {
    const metric: Metric = (example) => {
      if (example.question === 'q1') throw new Error('metric broke');
      return true;
    };
    const program = {
      forward: async ({ question }: { question: string }) =>
        question === 'q2' ? 'just text' : { answer: 'x' },
    };
    const report = await new Evaluate({ devset: devset(4), metric, progress: false }).run(program);
    expect(report.errors).toBe(2);
    expect(String(report.results[1].error)).toContain('metric broke');
    expect(report.results[1].prediction.answer).toBe('x');
    expect(String(report.results[2].error)).toMatch(/forward returned string/);
    expect(Prediction.isPrediction(report.results[0].prediction)).toBe(true);
  });

  it('stops with an EvaluationError naming the count and the last error after maxErrors', async () => {
    const failOn = new Set(['q3', 'q10', 'q20', 'q30', 'q40']);
    const { program } = fakeProgram({ failOn });
    const calls: number[] = [];
    const run = new Evaluate({
      devset: devset(1000),
      metric: exactMatch('answer'),
      concurrency: 4,
      maxErrors: 3,
      progress: false,
      onProgress: (state) => calls.push(state.done),
    }).run(program);
    const error = await run.then(
      () => undefined,
      (caught: unknown) => caught as EvaluationError,
    );
    expect(error).toBeInstanceOf(EvaluationError);
    expect(error!.errors).toBe(3);
    expect(error!.message).toMatch(
      /stopped after 3 failed examples \(maxErrors: 3\); last error, example \d+: Error: boom/,
    );
    expect((error!.lastError as Error).message).toMatch(/^boom on q(3|10|20|30)$/);
    expect(calls.length).toBeLessThan(100);
  });

  it('hands the results evaluated before a maxErrors stop to the EvaluationError, in devset order', async () => {
    const { program } = fakeProgram({ failOn: new Set(['q2', 'q5', 'q7']), maxDelayMs: 3 });
    const error = (await new Evaluate({
      devset: devset(50),
      metric: exactMatch('answer'),
      concurrency: 3,
      maxErrors: 2,
      progress: false,
    })
      .run(program)
      .catch((caught: unknown) => caught)) as EvaluationError;
    expect(error).toBeInstanceOf(EvaluationError);
    const indexes = error.results.map((r) => r.index);
    expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
    expect(indexes.length).toBeGreaterThanOrEqual(6);
    expect(indexes.length).toBeLessThan(50);
    expect(error.results.filter((r) => r.error !== undefined).length).toBeGreaterThanOrEqual(2);
    for (const result of error.results) {
      expect(result.example.question).toBe(`q${result.index}`);
      expect(result.score).toBe(result.error === undefined ? 1 : 0);
    }
  });

  it('keeps the partial results of a sequential run exactly', async () => {
    const { program } = fakeProgram({ failOn: new Set(['q1', 'q3']) });
    const error = (await new Evaluate({ devset: devset(10), metric: exactMatch('answer'), maxErrors: 2 })
      .run(program, { concurrency: 1, progress: false })
      .catch((caught: unknown) => caught)) as EvaluationError;
    expect(error.results.map((r) => [r.index, r.error === undefined])).toEqual([
      [0, true],
      [1, false],
      [2, true],
      [3, false],
    ]);
  });

  it('shares the score of a { score, feedback } metric and keeps its feedback', async () => {
    const metric: Metric<Example<QA, 'question'>> = (example, prediction) => ({
      score: example.answer === prediction.answer ? 1 : 0,
      feedback: `expected ${example.answer}`,
    });
    const { program } = fakeProgram();
    const report = await new Evaluate({ devset: devset(2), metric, progress: false }).run(program);
    expect(report.results[1].feedback).toBe('expected a1');
    expect(report.score).toBe(100);
  });

  it('refuses devset items that are not Examples with inputs', async () => {
    const { program } = fakeProgram();
    const plain = [{ question: 'q', answer: 'a' }] as unknown as Example[];
    await expect(
      new Evaluate({ devset: plain, metric: exactMatch(), progress: false }).run(program),
    ).rejects.toThrow(/Devset item 0 is not an Example/);
    const unmarked = [Example.from({ question: 'q', answer: 'a' })];
    await expect(
      new Evaluate({ devset: unmarked, metric: exactMatch(), progress: false }).run(program),
    ).rejects.toThrow(/no inputs marked/);
  });

  it('validates its options', async () => {
    const { program } = fakeProgram();
    const evaluate = new Evaluate({ devset: devset(1), metric: exactMatch(), progress: false });
    await expect(evaluate.run(program, { concurrency: 0 })).rejects.toThrow(
      /concurrency must be a whole number/,
    );
    await expect(evaluate.run({} as Runnable)).rejects.toThrow(/forward\(inputs\)/);
  });

  it('writes results as JSONL in input order', async () => {
    const resultsPath = join(dir, 'nested', 'results.jsonl');
    const { program } = fakeProgram({ failOn: new Set(['q1']), maxDelayMs: 10 });
    await new Evaluate({
      devset: devset(50),
      metric: exactMatch(),
      concurrency: 16,
      resultsPath,
      progress: false,
    }).run(program);
    const lines = readFileSync(resultsPath, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(50);
    expect(lines.map((line) => line.index)).toEqual([...Array(50).keys()]);
    expect(lines[0]).toEqual({
      index: 0,
      example: { question: 'q0', answer: 'a0' },
      prediction: { answer: 'a0' },
      score: 1,
      usage: { promptTokens: 3, completionTokens: 2, cachedTokens: 0, totalTokens: 5 },
      cost: 0.5,
    });
    expect(lines[1].error).toEqual({ name: 'Error', message: 'boom on q1' });
  });

  it('streams an async-iterable devset without keeping results', async () => {
    async function* stream() {
      for (const example of devset(300)) yield example;
    }
    const resultsPath = join(dir, 'streamed.jsonl');
    const { program } = fakeProgram({ wrong: new Set(['q7']) });
    const progress: EvaluationProgress[] = [];
    const report = await new Evaluate({
      devset: stream(),
      metric: exactMatch(),
      keepResults: false,
      resultsPath,
      progress: false,
      onProgress: (state) => progress.push(state),
    }).run(program);
    expect(report.results).toEqual([]);
    expect(report.total).toBe(300);
    expect(report.score).toBe(99.67);
    expect(progress.at(-1)).toMatchObject({ done: 300, errors: 0, total: undefined });
    const indexes = readFileSync(resultsPath, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).index);
    expect(indexes).toEqual([...Array(300).keys()]);
  });

  it('prints plain progress lines and a results table when the output is not a TTY', async () => {
    const output = new PassThrough();
    let text = '';
    output.on('data', (chunk) => (text += chunk));
    const { program } = fakeProgram({ failOn: new Set(['q4']), wrong: new Set(['q6']), maxDelayMs: 0 });
    const evaluate = new Evaluate({
      devset: devset(20),
      metric: exactMatch(),
      progress: true,
      table: 3,
      output,
    });
    await evaluate.run(program, { concurrency: 1 });
    expect(text).toMatch(
      /^Evaluate 2\/20 \(10%\) \| score 100\.00% \| errors 0 \| tokens 10 \| \$1\.0000 \| /m,
    );
    expect(text).toMatch(/^Evaluate finished: 20\/20 \(100%\) \| score 90\.00% \| errors 1 \| tokens 95 /m);
    expect(text).toContain('First 3 results:');
    expect(text).toContain('Failures (first 2):');
    expect(text).toContain('Error: boom on q4');
    expect(text).toContain('question: q6');
  });

  it('prints nothing with progress: false', async () => {
    const output = new PassThrough();
    let text = '';
    output.on('data', (chunk) => (text += chunk));
    const { program } = fakeProgram();
    await new Evaluate({ devset: devset(5), metric: exactMatch(), progress: false, output }).run(program);
    expect(text).toBe('');
  });
});
