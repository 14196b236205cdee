import 'reflect-metadata';
import { getEventListeners } from 'node:events';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { type CallOptions, type ChatMessage, LM, type LanguageModel } from '@sigil/core';
import { SigilModule } from '@sigil/nestjs';
import { FakeOpenAIServer } from '@sigil/testing';
import request from 'supertest';
import { AnswerController, fakeReply, RAG, RetrievalModule, validationPipe } from '../fixtures/rag-app';

describe('abort listeners under load (issue 16, F13)', () => {
  const server = new FakeOpenAIServer({ reply: fakeReply('busy'), latencyMs: 100 });
  let app: INestApplication;
  /** Every AbortSignal the application handed to the LM. */
  const signals = new Set<AbortSignal>();

  beforeAll(async () => {
    await server.start();
    const real = new LM('openai/busy', { baseURL: server.baseURL, apiKey: 'sk-test', cache: false });
    const lm: LanguageModel = {
      model: real.model,
      call(messages: ChatMessage[], options?: CallOptions) {
        if (options?.signal) signals.add(options.signal);
        return real.call(messages, options);
      },
    };
    const moduleRef = await Test.createTestingModule({
      imports: [
        SigilModule.forRoot({ lm }),
        SigilModule.forFeature([{ program: RAG }], { imports: [RetrievalModule] }),
      ],
      controllers: [AnswerController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalPipes(validationPipe());
    await app.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await app.close();
    await server.stop();
  });

  // Node warns (MaxListenersExceededWarning) when an AbortSignal has more than ten abort listeners.
  it('serves 40 concurrent requests with at most one abort listener on any signal', async () => {
    const pending = Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        request(app.getHttpServer())
          .post('/answer')
          .send({ question: `q${i}` })
          .then((res) => res),
      ),
    );
    while (server.requests.length < 16) await new Promise((resolve) => setTimeout(resolve, 5));
    const most = Math.max(...[...signals].map((signal) => getEventListeners(signal, 'abort').length));
    const responses = await pending;
    expect(responses.map((res) => res.status)).toEqual(Array(40).fill(201));
    expect(most).toBeLessThanOrEqual(1);
  });
});
