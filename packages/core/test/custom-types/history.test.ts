import 'reflect-metadata';
import {
  ChainOfThought,
  ChatAdapter,
  History,
  HistoryError,
  Input,
  JSONAdapter,
  LM,
  Output,
  Predict,
  Signature,
  SignatureError,
  signature,
  signatureOf,
} from '@sigil/core';
import { FakeOpenAIServer, ScriptedLM } from '@sigil/testing';
import { expectTypeOf } from 'expect-type';
import { throughStream } from './streaming-lm';

@Signature('Answer the customer.')
class SupportTurn {
  @Input() readonly question!: string;
  @Input() readonly history!: History;
  @Output() answer!: string;
}

const turns = new History([
  { question: 'Where is my invoice?', answer: 'Under Billing > Invoices.' },
  { question: 'Can I get a PDF?', answer: 'Yes, click Download.' },
]);

describe('History inputs', () => {
  let server: FakeOpenAIServer;
  let baseURL: string;

  beforeEach(async () => {
    server = new FakeOpenAIServer({
      reply: '[[ ## answer ## ]]\nIt is sent by email too.\n\n[[ ## completed ## ]]',
    });
    baseURL = await server.start();
  });
  afterEach(() => server.stop());

  const lm = () => new LM('openai/gpt-4o-mini', { baseURL, apiKey: 'sk-test', cache: false });

  it.each([
    ['non-streamed', (l: LM) => l],
    ['streamed', throughStream],
  ])('sends earlier turns as user/assistant pairs before the request (%s)', async (_, wrap) => {
    const predict = new Predict(SupportTurn, { lm: wrap(lm()) });
    const out = await predict.forward({ question: 'And by email?', history: turns });
    expect(out.answer).toBe('It is sent by email too.');
    const sent = server.chatRequests[0].body.messages as { role: string; content: string }[];
    expect(sent.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user', 'assistant', 'user']);
    expect(sent[1].content).toBe('[[ ## question ## ]]\nWhere is my invoice?');
    expect(sent[2].content).toBe('[[ ## answer ## ]]\nUnder Billing > Invoices.\n\n[[ ## completed ## ]]\n');
    expect(sent[5].content).toMatch(/^\[\[ ## question ## \]\]\nAnd by email\?\n\nRespond with/);
    expect(sent[5].content).not.toContain('[[ ## history ## ]]');
    expect(sent[0].content).toContain('2. `history` (History):');
  });

  it('accepts a plain { messages } object and no history at all (a first turn)', async () => {
    const scripted = new ScriptedLM([{ answer: 'a' }], { cycle: true });
    const predict = new Predict(SupportTurn, { lm: scripted });
    await predict.forward({ question: 'q', history: { messages: [{ question: 'hi', answer: 'hello' }] } });
    expect(scripted.calls[0].messages).toHaveLength(4);
    await predict.forward({ question: 'q' } as { question: string; history: History });
    expect(scripted.calls[1].messages.map((m) => m.role)).toEqual(['system', 'user']);
  });

  it('keeps history turns apart from demos, and JSONAdapter writes them as JSON', async () => {
    const scripted = new ScriptedLM([{ answer: 'a' }]);
    const predict = new Predict(SupportTurn, { lm: scripted, adapter: new JSONAdapter() });
    predict.demos = [{ question: 'demo q', answer: 'demo a' }];
    await predict.forward({ question: 'now', history: new History([{ question: 'before' }]) });
    const contents = scripted.calls[0].messages.map((m) => m.content);
    expect(contents[1]).toMatch(/^This is an example of the task/);
    expect(contents[4]).toBe('{\n  "answer": null\n}');
  });

  it('works through ChainOfThought, writing the missing reasoning of earlier turns as None', async () => {
    const scripted = new ScriptedLM([{ reasoning: 'r', answer: 'a' }]);
    await new ChainOfThought(SupportTurn, { lm: scripted }).forward({ question: 'q', history: turns });
    expect(scripted.calls[0].messages[2].content).toBe(
      '[[ ## reasoning ## ]]\nNone\n\n[[ ## answer ## ]]\nUnder Billing > Invoices.\n\n[[ ## completed ## ]]\n',
    );
  });

  it('is a typed input in class and string signatures', () => {
    type Inputs = Parameters<Predict<typeof SupportTurn>['forward']>[0];
    expectTypeOf<Inputs['history']>().toEqualTypeOf<History>();
    const spec = signature('question, history: History -> answer');
    expectTypeOf<Parameters<Predict<typeof spec>['forward']>[0]['history']>().toEqualTypeOf<History>();
    expect(spec.field('history')?.type).toBe(signatureOf(SupportTurn).field('history')?.type);
  });

  it('is immutable: adding a turn makes a new History', () => {
    const next = new History([...turns.messages, { question: 'Thanks', answer: 'You are welcome.' }]);
    expect(next.messages).toHaveLength(3);
    expect(turns.messages).toHaveLength(2);
    expect(Object.isFrozen(turns.messages) && Object.isFrozen(turns)).toBe(true);
  });

  it('refuses a History output and a malformed History value', async () => {
    expect(() => signature('question -> history: History')).toThrow(SignatureError);
    expect(() => new History([{ question: 'ok' }, 'not an object' as never])).toThrow(HistoryError);
    const predict = new Predict(SupportTurn, { lm: new ScriptedLM([{ answer: 'a' }]) });
    // Predict's input check refuses it first; an adapter given one directly says what a History is.
    await expect(predict.forward({ question: 'q', history: 'earlier' as never })).rejects.toMatchObject({
      code: 'MODULE_INPUT',
    });
    expect(() =>
      new ChatAdapter().format(signatureOf(SupportTurn), [], { question: 'q', history: 'earlier' }),
    ).toThrow(HistoryError);
  });
});
