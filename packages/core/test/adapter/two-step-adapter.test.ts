import 'reflect-metadata';
import {
  AdapterParseError,
  Input,
  LM,
  LMServerError,
  Output,
  Predict,
  Signature,
  TwoStepAdapter,
} from '@sigil/core';
import { FakeOpenAIServer, ScriptedLM } from '@sigil/testing';
import { throughStream } from '../custom-types/streaming-lm';

@Signature('Answer the question.')
class QA {
  @Input() readonly question!: string;
  @Output() answer!: string;
  @Output() confidence!: number;
}

describe('TwoStepAdapter', () => {
  let main: FakeOpenAIServer;
  let small: FakeOpenAIServer;

  beforeEach(async () => {
    main = new FakeOpenAIServer({
      reply: () => ({
        content: 'Thinking it over: the answer is Paris, and I am quite sure (0.9).',
        usage: { promptTokens: 50, completionTokens: 20 },
      }),
    });
    small = new FakeOpenAIServer({
      reply: () => ({
        content: '[[ ## answer ## ]]\nParis\n\n[[ ## confidence ## ]]\n0.9\n\n[[ ## completed ## ]]',
        usage: { promptTokens: 30, completionTokens: 8 },
      }),
    });
    await Promise.all([main.start(), small.start()]);
  });
  afterEach(() => Promise.all([main.stop(), small.stop()]));

  const lmAt = (server: FakeOpenAIServer, model: string) =>
    new LM(model, { baseURL: server.baseURL, apiKey: 'sk-test', cache: false, retry: { maxAttempts: 1 } });

  it.each([
    ['non-streamed', (l: LM) => l],
    ['streamed', throughStream],
  ])('lets the main LM answer freely and the extraction LM pull out the fields (%s)', async (_, wrap) => {
    const adapter = new TwoStepAdapter(wrap(lmAt(small, 'openai/small')));
    const predict = new Predict(QA, { lm: wrap(lmAt(main, 'openai/reasoner')), adapter });
    const out = await predict.forward({ question: 'Capital of France?' });
    expect(out).toMatchObject({ answer: 'Paris', confidence: 0.9 });
    expect(main.chatRequests[0].body.messages.at(-1).content).toBe('question: Capital of France?');
    expect(main.chatRequests[0].body.messages[0].content).toMatch(/^You are a helpful assistant/);
    const extraction = small.chatRequests[0].body.messages;
    expect(extraction.at(-1).content).toMatch(/^\[\[ ## text ## \]\]\nThinking it over/);
    // The extraction call counts in the prediction's usage.
    expect(out.usage.totalTokens).toBe(70 + 38);
    expect(Object.keys(out.getLmUsage() ?? {}).sort()).toEqual(['openai/reasoner', 'openai/small']);
  });

  it('retries an extraction it cannot parse once through JSONAdapter, then fails with AdapterParseError', async () => {
    const extraction = new ScriptedLM(['no markers here', '{"answer": "Paris", "confidence": 0.5}']);
    const predict = new Predict(QA, {
      lm: new ScriptedLM(['Paris, surely.']),
      adapter: new TwoStepAdapter(extraction),
    });
    await expect(predict.forward({ question: 'q' })).resolves.toMatchObject({
      answer: 'Paris',
      confidence: 0.5,
    });
    expect(extraction.calls[1].options.responseFormat).toBeDefined();

    const hopeless = new Predict(QA, {
      lm: new ScriptedLM(['Paris.'], { cycle: true }),
      adapter: new TwoStepAdapter(new ScriptedLM(['nothing'], { cycle: true })),
      maxRetries: 0,
    });
    await expect(hopeless.forward({ question: 'q' })).rejects.toBeInstanceOf(AdapterParseError);
    expect(() => new TwoStepAdapter(new ScriptedLM([])).parse(hopeless.signature, 'x')).toThrow(
      expect.objectContaining({ code: 'ADAPTER_PARSE_NEEDS_LM' }),
    );
  });

  it('passes an LM failure of the extraction model through unchanged', async () => {
    small.failNext('server-error', 5);
    const predict = new Predict(QA, {
      lm: lmAt(main, 'openai/reasoner'),
      adapter: new TwoStepAdapter(lmAt(small, 'openai/small')),
    });
    await expect(predict.forward({ question: 'q' })).rejects.toBeInstanceOf(LMServerError);
  });
});
