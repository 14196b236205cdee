/**
 * A tiny NestJS application with SigilModule: one injected program answers POST /ask through the LM
 * (the loopback FakeOpenAIServer), and the test sends one request.
 */
import 'reflect-metadata';
import { Body, Controller, Injectable, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Input, LM, Output, Predict, Predictor, Program, Signature } from '@sigil/core';
import { SigilModule } from '@sigil/nestjs';
import { FakeOpenAIServer } from '@sigil/testing';
import type { AddressInfo } from 'node:net';

@Signature('Answer the question in one word.')
class QA {
  @Input() question!: string;
  @Output() answer!: string;
}

@Injectable()
class Answerer extends Program {
  @Predictor() respond = new Predict(QA);
  async forward({ question }: { question: string }) {
    return this.respond.forward({ question });
  }
}

@Controller()
class AskController {
  constructor(private readonly answerer: Answerer) {}
  @Post('ask')
  async ask(@Body() body: { question: string }) {
    const { answer } = await this.answerer.forward({ question: body.question });
    return { answer };
  }
}

async function main(): Promise<void> {
  const server = new FakeOpenAIServer({ reply: '[[ ## answer ## ]]\nBerlin\n\n[[ ## completed ## ]]' });
  const baseURL = await server.start();
  @Module({
    imports: [
      SigilModule.forRoot({ lm: new LM('openai/fake-model', { baseURL, apiKey: 'sk-test', cache: false }) }),
      SigilModule.forFeature([{ program: Answerer }]),
    ],
    controllers: [AskController],
  })
  class AppModule {}

  const app = await NestFactory.create(AppModule, { logger: false });
  try {
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'Capital of Germany?' }),
    });
    const body = (await response.json()) as { answer?: string };
    if (response.status !== 201 || body.answer !== 'Berlin') {
      throw new Error(`expected 201 {answer: Berlin}, got ${response.status} ${JSON.stringify(body)}`);
    }
    console.log(`nest ok: ${body.answer}`);
  } finally {
    await app.close();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
