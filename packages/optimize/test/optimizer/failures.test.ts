import { createServer } from 'node:net';
import { context, LM, LMConnectionError, LMServerError, type Metric, MetricError } from '@sigil/core';
import { FakeOpenAIServer } from '@sigil/testing';
import { BootstrapRandomSearch, MIPRO, reportOf } from '@sigil/optimize';
import { arithmeticExamples, DemoSensitiveLM, exact, questionAnswerer } from '../support/arithmetic';

const data = { trainset: arithmeticExamples(12), valset: arithmeticExamples(20, 100) };

/** A loopback port with nothing listening on it. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const fastRetries = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 };

describe('optimizer runs whose LM or metric fails', () => {
  it('stops at once with the LM’s own error when nothing listens at the endpoint (never a 0% baseline)', async () => {
    const lm = new LM('openai/m', {
      baseURL: `http://127.0.0.1:${await deadPort()}/v1`,
      apiKey: 'k',
      retry: fastRetries,
      cache: false,
    });
    const optimizer = new MIPRO({ metric: exact, auto: 'light', seed: 1 });
    const steps: string[] = [];
    optimizer.on('step', (s) => s.status === 'end' && steps.push(s.name));
    await expect(context({ lm }, () => optimizer.compile(questionAnswerer(), data))).rejects.toBeInstanceOf(
      LMConnectionError,
    );
    expect(steps).toEqual([]);
    expect(lm.stats().errors).toBeLessThanOrEqual(16);
  });

  it('stops with the endpoint’s error when every call fails, instead of scoring the baseline 0%', async () => {
    const server = new FakeOpenAIServer();
    const baseURL = await server.start();
    server.setReply(() => ({ error: { status: 500, message: 'upstream exploded' } }));
    try {
      const lm = new LM('openai/m', { baseURL, apiKey: 'k', retry: fastRetries, cache: false });
      const run = context({ lm }, () =>
        new BootstrapRandomSearch({ metric: exact, numCandidatePrograms: 1, seed: 1 }).compile(
          questionAnswerer(),
          data,
        ),
      );
      await expect(run).rejects.toBeInstanceOf(LMServerError);
      await expect(run).rejects.toMatchObject({ code: 'LM_SERVER_ERROR', status: 500 });
    } finally {
      await server.stop();
    }
  });

  const sometimesThrows: Metric = (example, prediction) => {
    if (Number(example.answer) % 3 === 0) throw new TypeError('cannot read the label');
    return exact(example, prediction);
  };

  it('stops on a metric that throws, naming the example and keeping the metric’s stack', async () => {
    const failure = await context({ lm: new DemoSensitiveLM() }, () =>
      new BootstrapRandomSearch({ metric: sometimesThrows, numCandidatePrograms: 1, seed: 1 }).compile(
        questionAnswerer(),
        data,
      ),
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MetricError);
    expect((failure as MetricError).message).toMatch(
      /The metric threw on example \d+: TypeError: cannot read the label/,
    );
    expect((failure as MetricError).cause).toBeInstanceOf(TypeError);
    expect(((failure as MetricError).cause as Error).stack).toContain('failures.test.ts');
  });

  it('scores such examples 0 when asked to, and says how many in the report', async () => {
    const optimized = await context({ lm: new DemoSensitiveLM() }, () =>
      new BootstrapRandomSearch({
        metric: sometimesThrows,
        numCandidatePrograms: 1,
        seed: 1,
        metricErrors: 'score-zero',
      }).compile(questionAnswerer(), data),
    );
    expect(reportOf(optimized)!.metricErrors).toBeGreaterThan(0);
  });

  it('returns the best program so far when interrupted, marked as such', async () => {
    const controller = new AbortController();
    const optimizer = new BootstrapRandomSearch({
      metric: exact,
      numCandidatePrograms: 4,
      seed: 1,
      signal: controller.signal,
    });
    optimizer.on('candidate', (c) => c.index === 1 && controller.abort());
    const optimized = await context({ lm: new DemoSensitiveLM() }, () =>
      optimizer.compile(questionAnswerer(), data),
    );
    const report = reportOf(optimized)!;
    expect(report.stoppedBy).toBe('interrupted');
    expect(report.candidates.length).toBeGreaterThanOrEqual(2);
    expect(report.candidates.length).toBeLessThan(7);
    expect(report.bestScore).toBe(Math.max(...report.candidates.map((c) => c.score)));
  });
});
