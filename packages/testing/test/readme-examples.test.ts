/**
 * The README's recipes, run: testing a NestJS app with ScriptedLM (over HTTP with supertest), and the
 * LM client against FakeOpenAIServer with a field-value reply and an injected rate limit.
 */
import 'reflect-metadata';
import { Body, Controller, Injectable, Post, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { LM, LMRateLimitError, Predict, Predictor, Program, signature } from '@sigil/core';
import { SigilModule } from '@sigil/nestjs';
import { FakeOpenAIServer, formatFieldReply, ScriptedLM } from '@sigil/testing';
import request from 'supertest';

@Injectable()
class Answerer extends Program {
  @Predictor() respond = new Predict(signature('question -> answer'));
  forward({ question }: { question: string }) {
    return this.respond.forward({ question });
  }
}

@Controller()
class AskController {
  constructor(private readonly answerer: Answerer) {}
  @Post('ask')
  ask(@Body() body: { question: string }) {
    return this.answerer.forward({ question: body.question });
  }
}

describe('README: testing a NestJS app with ScriptedLM', () => {
  const lm = new ScriptedLM([{ answer: 'Paris' }]);
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [SigilModule.forRoot({ lm }), SigilModule.forFeature([{ program: Answerer }])],
      controllers: [AskController],
    }).compile();
    app = await moduleRef.createNestApplication({ logger: false }).init();
  });
  afterAll(() => app.close());

  it('answers through the injected program with the scripted field values', async () => {
    const response = await request(app.getHttpServer()).post('/ask').send({ question: 'Capital of France?' });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ answer: 'Paris' });
    expect(lm.lastCall?.messages.at(-1)?.content).toContain('Capital of France?');
  });
});

describe('README: the LM client against FakeOpenAIServer', () => {
  const server = new FakeOpenAIServer({ reply: formatFieldReply({ answer: 'Paris' }, 'chat') });
  let lm: LM;
  beforeAll(async () => {
    const baseURL = await server.start();
    lm = new LM('openai/test-model', { baseURL, apiKey: 'sk-test', cache: false, retry: { maxAttempts: 1 } });
  });
  afterAll(() => server.stop());
  beforeEach(() => server.reset());

  it('answers a Predict with the formatted field values and records the request', async () => {
    const qa = new Predict(signature('question -> answer'), { lm, config: { temperature: 0 } });
    const out = await qa.forward({ question: 'Capital?' });
    expect(out.answer).toBe('Paris');
    expect(server.chatRequests[0].body).toMatchObject({ temperature: 0 });
    expect(JSON.stringify(server.chatRequests[0].body.messages)).toContain('Capital?');
    expect(server.chatRequests[0].headers.authorization).toBe('Bearer sk-test');
  });

  it('reports an injected rate limit as LMRateLimitError', async () => {
    server.failNext({ kind: 'rate-limit', retryAfterSeconds: 1 });
    await expect(lm.call([{ role: 'user', content: 'q' }])).rejects.toBeInstanceOf(LMRateLimitError);
  });
});
