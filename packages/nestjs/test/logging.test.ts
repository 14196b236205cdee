import 'reflect-metadata';
import { Body, Controller, Injectable, type LoggerService, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Predictor, Program, ReAct, signature, Tool } from '@sigil/core';
import { InjectProgram, SigilModule } from '@sigil/nestjs';
import { ScriptedLM } from '@sigil/testing';
import * as path from 'node:path';
import request from 'supertest';
import { RAG, RetrievalModule } from './fixtures/rag-app';

/** Nest's logger, recorded. */
class RecordingLogger implements LoggerService {
  readonly lines: string[] = [];
  log(message: unknown) {
    this.lines.push(`log ${String(message)}`);
  }
  warn(message: unknown) {
    this.lines.push(`warn ${String(message)}`);
  }
  error(message: unknown) {
    this.lines.push(`error ${String(message)}`);
  }
}

@Injectable()
class Agent extends Program<{ question: string }, { answer: string }> {
  @Predictor() agent = new ReAct(signature('question -> answer'), {
    tools: [
      new Tool(
        () => {
          throw new Error('the lookup service is down');
        },
        { name: 'lookup', args: {} },
      ),
    ],
  });
  async forward(inputs: { question: string }) {
    return this.agent.forward(inputs);
  }
}

@Controller()
class AgentController {
  constructor(@InjectProgram(Agent) private readonly agent: Agent) {}
  @Post('ask')
  async ask(@Body() body: { question: string }) {
    return { answer: (await this.agent.forward(body)).answer };
  }
}

const step = (tool: string) =>
  `[[ ## next_thought ## ]]\nt\n\n[[ ## next_tool_name ## ]]\n${tool}\n\n[[ ## next_tool_args ## ]]\n{}\n\n[[ ## completed ## ]]`;
const replies = [
  step('lookup'),
  step('finish'),
  '[[ ## reasoning ## ]]\nr\n\n[[ ## answer ## ]]\nsorry\n\n[[ ## completed ## ]]',
];

describe('Sigil logs through Nest’s Logger', () => {
  it('logs a failed tool with the request id, and the state file loaded at boot', async () => {
    const logger = new RecordingLogger();
    const moduleRef = await Test.createTestingModule({
      imports: [
        SigilModule.forRoot({ lm: new ScriptedLM(replies, { cycle: true }) }),
        SigilModule.forFeature([{ program: Agent }]),
        SigilModule.forFeature(
          [{ program: RAG, state: path.join(__dirname, 'fixtures', 'rag-optimized.json') }],
          {
            imports: [RetrievalModule],
          },
        ),
      ],
      controllers: [AgentController],
    })
      .setLogger(logger)
      .compile();
    const app = moduleRef.createNestApplication();
    app.useLogger(logger);
    await app.init();
    expect(logger.lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^log Loaded .*rag-optimized\.json into RAG: 1 predictor, \d+ demos?/),
      ]),
    );
    const res = await request(app.getHttpServer())
      .post('/ask')
      .set('x-request-id', 'req-7')
      .send({ question: 'q' });
    expect(res.status).toBe(201);
    expect(logger.lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^log \[request req-7\] ReAct\(StringSignature\): tool "lookup" failed: the lookup service is down \(SIGIL_TOOL_FAILED\)$/,
        ),
      ]),
    );
    await app.close();
  });
});
