import 'reflect-metadata';
import {
  Controller,
  Injectable,
  type INestApplication,
  type BeforeApplicationShutdown,
  Post,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { LM, Predict, signature } from '@sigil/core';
import { SigilContext, SigilModule } from '@sigil/nestjs';
import { FakeOpenAIServer } from '@sigil/testing';
import request from 'supertest';
import { AnswerController, fakeReply, RAG, RetrievalModule, validationPipe } from '../fixtures/rag-app';

const events: string[] = [];

/** A handler that makes two LM calls with other work between them. */
@Controller()
class TwoStepController {
  private readonly step = new Predict(signature('question -> answer'));

  @Post('two-steps')
  async twoSteps() {
    const first = await this.step.forward({ question: 'one' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = await this.step.forward({ question: 'two' });
    events.push('handler finished');
    return { answers: [first.answer, second.answer] };
  }
}

/** What an application typically does on shutdown: close its LM (and its database pool …). */
@Injectable()
class ClosesTheLM implements BeforeApplicationShutdown {
  static lm: LM;
  async beforeApplicationShutdown() {
    events.push('shutdown hook');
    await ClosesTheLM.lm.close();
  }
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('shutdown drain (issue 16)', () => {
  const server = new FakeOpenAIServer({ reply: fakeReply('slow'), latencyMs: 200 });
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => {
    server.reset();
    events.length = 0;
  });

  async function start(): Promise<INestApplication> {
    const lm = new LM('openai/slow', { baseURL: server.baseURL, apiKey: 'sk-test', cache: false });
    ClosesTheLM.lm = lm;
    const moduleRef = await Test.createTestingModule({
      imports: [
        SigilModule.forRoot({ lm, shutdownTimeoutMs: 5_000 }),
        SigilModule.forFeature([{ program: RAG }], { imports: [RetrievalModule] }),
      ],
      controllers: [AnswerController, TwoStepController],
      providers: [ClosesTheLM],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalPipes(validationPipe());
    await app.listen(0, '127.0.0.1');
    return app;
  }

  it('answers a request arriving during the drain with 503 and Retry-After at once, without an LM call', async () => {
    const app = await start();
    const http = app.getHttpServer();
    const order: string[] = [];
    const inFlight = request(http)
      .post('/answer')
      .send({ question: 'in flight' })
      .then((res) => (order.push('in-flight answered'), res));
    await until(() => app.get(SigilContext).inFlight === 1);
    const closed = app.close();
    const late = await request(http).post('/answer').send({ question: 'too late' });
    order.push('late answered');
    expect(late.status).toBe(503);
    expect(late.headers['retry-after']).toMatch(/^\d+$/);
    expect(late.body).toMatchObject({ code: 'SHUTTING_DOWN' });
    expect((await inFlight).status).toBe(201);
    await closed;
    expect(order).toEqual(['late answered', 'in-flight answered']);
    expect(server.chatRequests).toHaveLength(1);
  });

  it('waits for whole requests, not only their LM calls, before the shutdown hooks run', async () => {
    const app = await start();
    const pending = request(app.getHttpServer())
      .post('/two-steps')
      .then((res) => res);
    // Between the two LM calls: no LM call is in flight, but the request is.
    await until(() => server.chatRequests.length === 1 && app.get(SigilContext).inFlight === 0);
    await app.close();
    events.push('application closed');
    const res = await pending;
    expect(res.status).toBe(201);
    expect(res.body.answers).toEqual(['slow: one', 'slow: two']);
    expect(events).toEqual(['handler finished', 'shutdown hook', 'application closed']);
  });
});
