import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { LM, type LanguageModel } from '@sigil/core';
import { SigilModule } from '@sigil/nestjs';
import { FakeOpenAIServer } from '@sigil/testing';
import { join } from 'node:path';
import request from 'supertest';
import {
  AnswerController,
  fakeReply,
  RAG,
  RetrievalModule,
  Retriever,
  validationPipe,
} from './fixtures/rag-app';

const STATE = join(__dirname, 'fixtures', 'rag-optimized.json');
const retry = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 };

/** A reply after a random few milliseconds, so concurrent requests interleave on the server. */
function jittered(label: string) {
  const reply = fakeReply(label);
  return async (recorded: { body: any }) => {
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 15));
    return reply(recorded);
  };
}

describe('SigilModule in a Nest application (e2e, FakeOpenAIServer)', () => {
  const alpha = new FakeOpenAIServer({ reply: jittered('alpha') });
  const beta = new FakeOpenAIServer({ reply: jittered('beta') });
  const locked = new FakeOpenAIServer({ apiKey: 'sk-right', reply: fakeReply('locked') });
  const lms: Record<string, LanguageModel> = {};
  let app: INestApplication;

  beforeAll(async () => {
    await Promise.all([alpha.start(), beta.start(), locked.start()]);
    const options = { apiKey: 'sk-test', cache: false as const, retry };
    lms.alpha = new LM('openai/alpha', { ...options, baseURL: alpha.baseURL });
    lms.beta = new LM('openai/beta', { ...options, baseURL: beta.baseURL });
    lms.locked = new LM('openai/locked', { ...options, baseURL: locked.baseURL, apiKey: 'sk-wrong' });
    lms.slow = new LM('openai/slow', {
      ...options,
      baseURL: alpha.baseURL,
      timeoutMs: 150,
      retry: { maxAttempts: 1 },
    });
    const moduleRef = await Test.createTestingModule({
      imports: [
        SigilModule.forRoot({
          lm: lms.alpha,
          resolveRequestContext: (req) => ({
            lm: lms[req.headers['x-lm'] as string],
            tags: { requestId: String(req.headers['x-request-id'] ?? 'none') },
          }),
        }),
        SigilModule.forFeature([{ program: RAG, state: STATE }], { imports: [RetrievalModule] }),
      ],
      controllers: [AnswerController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalPipes(validationPipe());
    await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all([alpha.stop(), beta.stop(), locked.stop()]);
  });

  beforeEach(() => {
    alpha.reset();
    beta.reset();
  });

  it('answers POST /answer with the program, its saved state loaded at startup', async () => {
    const res = await request(app.getHttpServer())
      .post('/answer')
      .set('x-request-id', 'r-1')
      .send({ question: 'Who wrote Dune?' })
      .expect(201);
    expect(res.body).toEqual({ answer: 'alpha: Who wrote Dune?', requestId: 'r-1', seenRequestId: 'r-1' });
    const [sent] = alpha.chatRequests;
    expect(sent.body.messages[0].content).toContain(
      'Answer from the passages in at most five words (optimized).',
    );
    expect(JSON.stringify(sent.body.messages)).toContain('Frank Herbert');
    expect(app.get(Retriever).queries).toContain('Who wrote Dune?');
  });

  it('injects one instance through @InjectProgram and plain constructor injection alike', async () => {
    const res = await request(app.getHttpServer()).get('/same-instance').expect(200);
    expect(res.body).toEqual({ same: true });
  });

  it('rejects an invalid body with 400 before any LM call', async () => {
    const server = app.getHttpServer();
    const missing = await request(server).post('/answer').send({}).expect(400);
    expect(missing.body.message).toEqual(expect.arrayContaining([expect.stringContaining('question')]));
    await request(server).post('/answer').send({ question: 42 }).expect(400);
    await request(server).post('/answer').send({ question: 'ok', extra: true }).expect(400);
    expect(alpha.chatRequests).toHaveLength(0);
  });

  it('answers 200 concurrent requests, each by the LM its header selects, with no leaks between them', async () => {
    const server = app.getHttpServer();
    const requests = Array.from({ length: 200 }, (_, i) => {
      const label = i % 2 === 0 ? 'alpha' : 'beta';
      return request(server)
        .post('/answer')
        .set('x-lm', label)
        .set('x-request-id', `req-${i}`)
        .send({ question: `question ${i}` })
        .then((res) => ({ i, label, res }));
    });
    const results = await Promise.all(requests);
    for (const { i, label, res } of results) {
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        answer: `${label}: question ${i}`,
        requestId: `req-${i}`,
        seenRequestId: `req-${i}`,
      });
    }
    expect(alpha.chatRequests).toHaveLength(100);
    expect(beta.chatRequests).toHaveLength(100);
  });

  it('maps server errors that outlast the retries to 502 with a clear body', async () => {
    alpha.failNext('server-error', retry.maxAttempts);
    const res = await request(app.getHttpServer()).post('/answer').send({ question: 'q' }).expect(502);
    expect(res.body).toEqual({
      statusCode: 502,
      error: 'Bad Gateway',
      code: 'LM_UPSTREAM_ERROR',
      message: 'The language model endpoint failed (HTTP 500) after 2 attempts.',
      model: 'openai/alpha',
      upstreamStatus: 500,
    });
  });

  it('maps a rejected API key (401) to 502 without exposing the endpoint', async () => {
    const res = await request(app.getHttpServer())
      .post('/answer')
      .set('x-lm', 'locked')
      .send({ question: 'q' });
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ code: 'LM_AUTH_FAILED', upstreamStatus: 401, model: 'openai/locked' });
    expect(JSON.stringify(res.body)).not.toMatch(/127\.0\.0\.1|sk-/);
  });

  it('maps rate limiting that outlasts the retries to 503 with Retry-After', async () => {
    alpha.failNext({ kind: 'rate-limit', retryAfterMs: 10 }, retry.maxAttempts);
    const res = await request(app.getHttpServer()).post('/answer').send({ question: 'q' }).expect(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body).toMatchObject({ code: 'LM_RATE_LIMITED', upstreamStatus: 429, retryAfterSeconds: 1 });
  });

  it('maps an LM timeout to 503', async () => {
    alpha.failNext({ kind: 'stall', stallMs: 1_000 });
    const res = await request(app.getHttpServer())
      .post('/answer')
      .set('x-lm', 'slow')
      .send({ question: 'q' });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'LM_TIMEOUT', model: 'openai/slow' });
  });
});
