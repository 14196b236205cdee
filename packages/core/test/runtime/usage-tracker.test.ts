import 'reflect-metadata';
import {
  ChainOfThought,
  Input,
  LM,
  lmUsageOf,
  Output,
  Predict,
  Predictor,
  Program,
  registerPrices,
  Signature,
  totalUsage,
  trackUsage,
} from '@sigil/core';
import { FakeOpenAIServer, ScriptedLM } from '@sigil/testing';
import { throughStream } from '../custom-types/streaming-lm';

@Signature('Write a search query.')
class MakeQuery {
  @Input() readonly question!: string;
  @Output() query!: string;
}

@Signature('Answer the question.')
class Answer {
  @Input() readonly question!: string;
  @Output() answer!: string;
}

/** Two predictors on two LMs, returning a plain object (not a Prediction). */
class TwoStep extends Program {
  @Predictor() query = new Predict(MakeQuery);
  @Predictor() respond = new ChainOfThought(Answer);
  async forward({ question }: { question: string }) {
    const { query } = await this.query.forward({ question });
    const { answer } = await this.respond.forward({ question: `${question} (${query})` });
    return { answer, query };
  }
}

class ReturnsPrediction extends Program {
  @Predictor() inner = new Predict(MakeQuery);
  @Predictor() respond = new Predict(Answer);
  async forward({ question }: { question: string }) {
    await this.inner.forward({ question });
    return this.respond.forward({ question });
  }
}

describe('usage per program call (DSPy get_lm_usage)', () => {
  let server: FakeOpenAIServer;
  let baseURL: string;

  beforeAll(() => registerPrices({ 'openai/priced': { input: 1, output: 2 } }));
  beforeEach(async () => {
    server = new FakeOpenAIServer({
      reply: (request) =>
        request.body.messages[0].content.includes('`query`')
          ? {
              content: '[[ ## query ## ]]\nq\n\n[[ ## completed ## ]]',
              usage: { promptTokens: 10, completionTokens: 2 },
            }
          : {
              content: '[[ ## reasoning ## ]]\nr\n\n[[ ## answer ## ]]\na\n\n[[ ## completed ## ]]',
              usage: { promptTokens: 30, completionTokens: 5 },
            },
    });
    baseURL = await server.start();
  });
  afterEach(() => server.stop());

  const lm = (model: string) => new LM(model, { baseURL, apiKey: 'sk-test', cache: false });

  it.each([
    ['non-streamed', (l: LM) => l],
    ['streamed', throughStream],
  ])('gives a plain-object result the usage of every LM call inside, by model (%s)', async (_, wrap) => {
    const program = new TwoStep();
    program.query.lm = wrap(lm('openai/small'));
    program.respond.predict.lm = wrap(lm('openai/priced'));
    const out = await program.forward({ question: 'Who?' });
    expect(lmUsageOf(out)).toEqual({
      'openai/small': expect.objectContaining({
        calls: 1,
        promptTokens: 10,
        completionTokens: 2,
        totalTokens: 12,
      }),
      'openai/priced': expect.objectContaining({
        calls: 1,
        promptTokens: 30,
        completionTokens: 5,
        totalTokens: 35,
      }),
    });
    expect(lmUsageOf(out)!['openai/priced'].cost).toBeCloseTo((30 * 1 + 5 * 2) / 1e6, 12);
    expect(totalUsage(lmUsageOf(out)!)).toMatchObject({ calls: 2, totalTokens: 47 });
  });

  it('gives a Prediction returned by a program the whole program usage, and a lone Predict its own', async () => {
    const program = new ReturnsPrediction();
    program.inner.lm = lm('openai/small');
    program.respond.lm = lm('openai/small');
    const out = await program.forward({ question: 'Who?' });
    expect(out.getLmUsage()?.['openai/small'].calls).toBe(2);
    const alone = await new Predict(MakeQuery, { lm: lm('openai/small') }).forward({ question: 'x' });
    expect(alone.getLmUsage()).toEqual({
      'openai/small': expect.objectContaining({ calls: 1, totalTokens: 12 }),
    });
  });

  it('counts a call the cache answers as a cache hit with no tokens, as DSPy does', async () => {
    const cached = new LM('openai/small', { baseURL, apiKey: 'sk-test', cache: { dir: false } });
    const predict = new Predict(MakeQuery, { lm: cached });
    await predict.forward({ question: 'same' });
    const { usage } = await trackUsage(() => predict.forward({ question: 'same' }));
    expect(usage['openai/small']).toMatchObject({ calls: 1, cacheHits: 1, totalTokens: 0, cost: 0 });
  });

  it('keeps concurrent program calls apart, and counts a nested call into the one around it', async () => {
    const scripted = (tokens: number) =>
      new ScriptedLM([{ query: 'q', reasoning: 'r', answer: 'a' }], {
        cycle: true,
        usage: { promptTokens: tokens, completionTokens: 0 },
      });
    const make = (tokens: number) => {
      const program = new TwoStep();
      program.query.lm = scripted(tokens);
      program.respond.predict.lm = scripted(tokens);
      return program;
    };
    const [a, b] = await Promise.all([
      make(1).forward({ question: 'a' }),
      make(100).forward({ question: 'b' }),
    ]);
    expect(lmUsageOf(a)!.scripted.totalTokens).toBe(2);
    expect(lmUsageOf(b)!.scripted.totalTokens).toBe(200);
    const { result, usage } = await trackUsage(async () => {
      const inner = await make(5).forward({ question: 'c' });
      await make(7).forward({ question: 'd' });
      return inner;
    });
    expect(lmUsageOf(result)!.scripted.totalTokens).toBe(10);
    expect(usage.scripted).toMatchObject({ calls: 4, totalTokens: 24 });
  });

  it('has no usage for a value no call returned', () => {
    expect(lmUsageOf({ answer: 'typed by hand' })).toBeUndefined();
  });
});
