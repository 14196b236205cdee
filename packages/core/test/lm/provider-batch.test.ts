import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchError,
  Evaluate,
  Example,
  exactMatch,
  LM,
  Predict,
  ProviderBatcher,
  signature,
  type BatchProgress,
} from '@sigil/core';
import { FakeOpenAIServer } from '@sigil/testing';

const QA = signature('question -> answer');
const answerOf = (request: { body: { messages: { content: string }[] } }) => {
  const question = /\[\[ ## question ## \]\]\n(.*)/.exec(request.body.messages.at(-1)!.content)![1];
  return `[[ ## answer ## ]]\n${question.toUpperCase()}\n\n[[ ## completed ## ]]`;
};

describe('provider batches (OpenAI Batch API)', () => {
  let server: FakeOpenAIServer;
  let baseURL: string;
  let dir: string;
  beforeAll(async () => {
    server = new FakeOpenAIServer({ reply: answerOf, batch: { pollsUntilDone: 2 } });
    baseURL = await server.start();
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    server.reset();
    dir = mkdtempSync(join(tmpdir(), 'sigil-batch-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const lmWith = (cache: boolean) =>
    new LM('openai/gpt-4o-mini', {
      baseURL,
      apiKey: 'sk-test',
      cache: cache ? { mode: 'read-write', dir: join(dir, 'cache') } : 'off',
      price: { input: 1, output: 2 },
    });

  it('sends program.batch() calls as one batch, parses its results and caches them', async () => {
    const lm = lmWith(true);
    const progress: BatchProgress[] = [];
    const predict = new Predict(QA, { lm });
    const inputs = ['paris', 'rome', 'oslo'].map((question) => ({ question }));
    const out = await predict.batch(inputs, {
      provider: { pollIntervalMs: 1, onProgress: (p) => progress.push(p) },
    });
    expect(out.map((p) => p.answer)).toEqual(['PARIS', 'ROME', 'OSLO']);
    const paths = server.requests.map((r) => `${r.method} ${r.path}`);
    expect(paths.filter((p) => p === 'POST /v1/files')).toHaveLength(1);
    expect(paths.filter((p) => p === 'POST /v1/batches')).toHaveLength(1);
    expect(server.chatRequests.every((r) => r.batchId !== undefined)).toBe(true);
    expect(progress.map((p) => p.status)).toEqual(['in_progress', 'in_progress', 'completed']);
    expect(progress.at(-1)).toMatchObject({ total: 3, completed: 3, failed: 0 });
    // Half the list price.
    const usage = out[0].usage;
    expect(out[0].cost).toBeCloseTo(((usage.promptTokens * 1 + usage.completionTokens * 2) / 1e6) * 0.5, 12);
    server.reset();
    const again = await predict.batch(inputs, { provider: { pollIntervalMs: 1 } });
    expect(again.map((p) => p.answer)).toEqual(['PARIS', 'ROME', 'OSLO']);
    expect(server.requests).toHaveLength(0);
  });

  it('runs Evaluate through batches', async () => {
    const devset = ['a', 'b'].map((q) =>
      new Example({ question: q, answer: q.toUpperCase() }).withInputs('question'),
    );
    const report = await new Evaluate({
      devset,
      metric: exactMatch('answer'),
      progress: false,
      batch: { pollIntervalMs: 1 },
    }).run(new Predict(QA, { lm: lmWith(false) }));
    expect(report.score).toBe(100);
    expect(server.requests.filter((r) => r.path === '/v1/batches')).toHaveLength(1);
  });

  it('resumes a journaled batch after a restart instead of submitting it again', async () => {
    const journal = join(dir, 'batches.jsonl');
    const slow = new FakeOpenAIServer({ reply: answerOf, batch: { pollsUntilDone: 1_000 } });
    const slowURL = await slow.start();
    const first = new LM('openai/gpt-4o-mini', { baseURL: slowURL, apiKey: 'k', cache: 'off' });
    const seen: BatchProgress[] = [];
    const run = new Predict(QA, { lm: first }).batch([{ question: 'x' }], {
      provider: { journal, pollIntervalMs: 5, onProgress: (p) => seen.push(p) },
    });
    run.catch(() => undefined);
    while (seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const submitted = JSON.parse(readFileSync(journal, 'utf8').split('\n')[0]);
    expect(submitted).toMatchObject({ event: 'submitted', batch: seen[0].batchId });
    // "Restart": a new LM and batcher over the same journal; the provider finishes the batch meanwhile.
    slow.batchApi.options.pollsUntilDone = 0;
    const second = new LM('openai/gpt-4o-mini', { baseURL: slowURL, apiKey: 'k', cache: 'off' });
    const resumed = await new Predict(QA, { lm: second }).batch([{ question: 'x' }], {
      provider: new ProviderBatcher({ journal, pollIntervalMs: 5 }),
    });
    expect(resumed[0].answer).toBe('X');
    expect(slow.requests.filter((r) => r.method === 'POST' && r.path === '/v1/batches')).toHaveLength(1);
    await slow.stop();
  });

  it('fails each call with BatchError when the batch expires, and sends them again next time', async () => {
    const expiring = new FakeOpenAIServer({ reply: answerOf, batch: { outcome: 'expired' } });
    const url = await expiring.start();
    const journal = join(dir, 'batches.jsonl');
    const lm = new LM('openai/gpt-4o-mini', { baseURL: url, apiKey: 'k', cache: 'off' });
    const error = await new Predict(QA, { lm })
      .batch([{ question: 'x' }], { provider: { journal, pollIntervalMs: 1 } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatchError);
    expect(error).toMatchObject({ code: 'LM_BATCH_EXPIRED' });
    expiring.batchApi.options.outcome = 'completed';
    const out = await new Predict(QA, { lm }).batch([{ question: 'x' }], {
      provider: { journal, pollIntervalMs: 1 },
    });
    expect(out[0].answer).toBe('X');
    expect(expiring.requests.filter((r) => r.method === 'POST' && r.path === '/v1/batches')).toHaveLength(2);
    await expiring.stop();
  });

  it('fails a request the batch answered with an error, naming its status', async () => {
    server.setReply([{ error: { status: 400, message: 'bad request inside' } }]);
    const error = await new Predict(QA, { lm: lmWith(false) })
      .batch([{ question: 'x' }], { provider: { pollIntervalMs: 1 } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LM_BATCH_REQUEST_FAILED', status: 400 });
    expect((error as Error).message).toContain('bad request inside');
    server.setReply(answerOf);
  });
});
