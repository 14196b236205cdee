import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { LM } from '@sigil/core';
import { type Flushable, SigilContext, SigilModule } from '@sigil/nestjs';
import { FakeOpenAIServer } from '@sigil/testing';
import request from 'supertest';
import { AnswerController, fakeReply, RAG, RetrievalModule, validationPipe } from '../fixtures/rag-app';

async function start(
  server: FakeOpenAIServer,
  options: { shutdownTimeoutMs?: number; cache?: Flushable } = {},
) {
  const lm = new LM('openai/slow', {
    baseURL: server.baseURL,
    apiKey: 'sk-test',
    cache: false,
    retry: { maxAttempts: 1 },
  });
  const moduleRef = await Test.createTestingModule({
    imports: [
      SigilModule.forRoot({ lm, ...options }),
      SigilModule.forFeature([{ program: RAG }], { imports: [RetrievalModule] }),
    ],
    controllers: [AnswerController],
  }).compile();
  const app: INestApplication = moduleRef.createNestApplication({ logger: false });
  app.useGlobalPipes(validationPipe());
  app.enableShutdownHooks();
  await app.listen(0, '127.0.0.1');
  return app;
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('shutdown', () => {
  const server = new FakeOpenAIServer({ reply: fakeReply('slow'), latencyMs: 300 });
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  it('waits for in-flight LM calls, then flushes the caches, before the application closes', async () => {
    const events: string[] = [];
    const app = await start(server, { cache: { flush: () => events.push('cache flushed') } });
    const answered = request(app.getHttpServer())
      .post('/answer')
      .send({ question: 'still running?' })
      .then((res) => {
        events.push('request answered');
        return res;
      });
    await until(() => app.get(SigilContext).inFlight === 1);
    await app.close();
    events.push('application closed');
    const res = await answered;
    expect(res.status).toBe(201);
    expect(res.body.answer).toBe('slow: still running?');
    expect(events.indexOf('cache flushed')).toBeLessThan(events.indexOf('application closed'));
    expect(app.get(SigilContext).inFlight).toBe(0);
  });

  it('cancels the calls still running after shutdownTimeoutMs, answering their requests with 503', async () => {
    const app = await start(server, { shutdownTimeoutMs: 50 });
    server.failNext('stall');
    // supertest sends on then(); call it now so the request is in flight while the app closes.
    const pending = request(app.getHttpServer())
      .post('/answer')
      .send({ question: 'never answered' })
      .then((res) => res);
    await until(() => app.get(SigilContext).inFlight === 1);
    const started = Date.now();
    await app.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    const res = await pending;
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'LM_ABORTED', model: 'openai/slow' });
    expect(app.get(SigilContext).inFlight).toBe(0);
  });
});
