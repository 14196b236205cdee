import 'reflect-metadata';
import {
  ChainOfThought,
  ChatAdapter,
  Input,
  JSONAdapter,
  LM,
  Output,
  Predict,
  Predictor,
  Program,
  ReAct,
  signature,
  Signature,
  Tool,
  type StreamChunk,
} from '@sigil/core';
import { JsonFieldStream, MarkerFieldStream } from '@sigil/core/internal';
import { FakeOpenAIServer, ScriptedLM } from '@sigil/testing';

@Signature('Answer the question.')
class QA {
  @Input() readonly question!: string;
  @Output() answer!: string;
}

class Pipeline extends Program {
  @Predictor() respond = new ChainOfThought(QA);
  forward({ question }: { question: string }) {
    return this.respond.forward({ question });
  }
}

/** Every field's deltas joined, in order of first appearance. */
function joined(chunks: readonly StreamChunk[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of chunks)
    if (c.type === 'field')
      out[`${c.predictor}.${c.field}`] = (out[`${c.predictor}.${c.field}`] ?? '') + c.delta;
  return out;
}

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const chunk of stream) out.push(chunk);
  return out;
}

describe('reading output fields from a streamed reply', () => {
  const spec = signature('question -> reasoning, answer');
  const reply =
    'preamble\n[[ ## reasoning ## ]]\n  Think [twice] ##.\n\nthen answer  \n\n[[ ## answer ## ]] Paris \n\n[[ ## completed ## ]]\n';

  it('finds ChatAdapter markers wherever the deltas split them, giving the text parse reads', () => {
    const parsed = new ChatAdapter().parse(spec, reply);
    for (let size = 1; size <= 7; size++) {
      const reader = new MarkerFieldStream(spec);
      const deltas = [];
      for (let i = 0; i < reply.length; i += size) deltas.push(...reader.push(reply.slice(i, i + size)));
      deltas.push(...reader.end());
      const text: Record<string, string> = {};
      for (const d of deltas) text[d.field] = (text[d.field] ?? '') + d.delta;
      expect(text).toEqual(parsed);
    }
  });

  it('streams a field only from its first section and never the completed marker', () => {
    const reader = new MarkerFieldStream(spec);
    const deltas = reader.push('[[ ## answer ## ]]\nA\n[[ ## answer ## ]]\nB\n[[ ## completed ## ]]\nC');
    expect([...deltas, ...reader.end()]).toEqual([{ field: 'answer', delta: 'A' }]);
  });

  it('reads JSONAdapter replies as they grow: strings decoded as they come, other values once whole', () => {
    const json =
      '```json\n{"reasoning": "say \\"hi\\" \\u00e9", "n": 1, "answer": [1, {"a": "}"}], "x": "y"}\n```';
    const typed = signature('question -> reasoning, answer: list[int], n: int');
    const reader = new JsonFieldStream(typed);
    const deltas = [];
    for (const ch of json) deltas.push(...reader.push(ch));
    deltas.push(...reader.end());
    const text: Record<string, string> = {};
    for (const d of deltas) text[d.field] = (text[d.field] ?? '') + d.delta;
    expect(text).toEqual({ reasoning: 'say "hi" é', n: '1', answer: '[1, {"a": "}"}]' });
    expect(deltas.filter((d) => d.field === 'reasoning').length).toBeGreaterThan(5);
  });
});

describe('program.stream()', () => {
  let server: FakeOpenAIServer;
  let lm: LM;
  beforeAll(async () => {
    server = new FakeOpenAIServer();
    lm = new LM('openai/gpt-4o-mini', { baseURL: await server.start(), apiKey: 'sk-test', cache: false });
  });
  afterAll(() => server.stop());
  beforeEach(() => server.reset());

  it('yields field chunks as the LM streams over SSE, then the typed prediction', async () => {
    server.setReply([
      {
        chunks: [
          '[[ ## reas',
          'oning ## ]]\nBecause',
          ' it is.\n\n[[ ## ans',
          'wer ## ]]\nPar',
          'is\n\n[[ ## compl',
          'eted ## ]]',
        ],
      },
    ]);
    const program = new Pipeline();
    program.respond.predict.lm = lm;
    const chunks = await collect(program.stream({ question: 'Capital of France?' }));
    expect(chunks.filter((c) => c.type === 'field').map((c) => c.type === 'field' && c.delta)).toEqual([
      'Because',
      ' it is.',
      'Par',
      'is',
    ]);
    expect(joined(chunks)).toEqual({
      'respond.predict.reasoning': 'Because it is.',
      'respond.predict.answer': 'Paris',
    });
    expect(chunks[0]).toEqual({
      type: 'status',
      kind: 'module',
      name: 'Pipeline',
      message: 'Calling module Pipeline...',
    });
    const last = chunks.at(-1)!;
    expect(last.type === 'prediction' && last.prediction.answer).toBe('Paris');
    expect(server.chatRequests[0].body.stream).toBe(true);
  });

  it('streams JSONAdapter replies too', async () => {
    server.setReply([{ chunks: ['{"answer": "Pa', 'ris"}'] }]);
    const predict = new Predict(QA, { lm, adapter: new JSONAdapter() });
    const chunks = await collect(predict.stream({ question: 'q' }, { status: false }));
    expect(chunks.map((c) => c.type)).toEqual(['field', 'field', 'prediction']);
    expect(joined(chunks)).toEqual({ 'self.answer': 'Paris' });
  });

  it('streams an LM that cannot stream as one delta (ScriptedLM)', async () => {
    const scripted = new ScriptedLM(['[[ ## answer ## ]]\n42\n\n[[ ## completed ## ]]']);
    const chunks = await collect(
      new Predict(QA, { lm: scripted }).stream({ question: 'q' }, { status: false }),
    );
    expect(chunks[0]).toEqual({ type: 'field', predictor: 'self', field: 'answer', delta: '42' });
  });

  it('keeps concurrent streams apart', async () => {
    server.setReply((request) => {
      const text = JSON.stringify(request.body.messages.at(-1).content);
      const city = text.includes('France') ? 'Paris' : 'Berlin';
      return {
        chunks: ['[[ ## answer ## ]]\n', city.slice(0, 3), city.slice(3), '\n\n[[ ## completed ## ]]'],
        chunkDelayMs: 5,
      };
    });
    const predict = new Predict(QA, { lm });
    const [a, b] = await Promise.all([
      collect(predict.stream({ question: 'France?' }, { status: false })),
      collect(predict.stream({ question: 'Germany?' }, { status: false })),
    ]);
    expect(joined(a)).toEqual({ 'self.answer': 'Paris' });
    expect(joined(b)).toEqual({ 'self.answer': 'Berlin' });
  });

  it('aborts the LM call when the consumer stops reading', async () => {
    server.setReply([
      { chunks: ['[[ ## answer ## ]]\n', ...Array.from({ length: 40 }, () => 'x')], chunkDelayMs: 30 },
    ]);
    const errors: unknown[] = [];
    const off = lm.on('error', ({ error }) => errors.push(error));
    for await (const chunk of new Predict(QA, { lm }).stream({ question: 'q' }, { status: false })) {
      if (chunk.type === 'field') break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    off();
    expect(errors).toEqual([expect.objectContaining({ code: 'LM_ABORTED' })]);
    expect(lm.inFlight).toBe(0);
  });

  it('sends status chunks for tool starts and ends of a ReAct', async () => {
    const step = (tool: string, args: string) =>
      `[[ ## next_thought ## ]]\nt\n\n[[ ## next_tool_name ## ]]\n${tool}\n\n[[ ## next_tool_args ## ]]\n${args}\n\n[[ ## completed ## ]]`;
    const scripted = new ScriptedLM([
      step('lookup', '{"q": "x"}'),
      step('finish', '{}'),
      '[[ ## reasoning ## ]]\nr\n\n[[ ## answer ## ]]\nfound\n\n[[ ## completed ## ]]',
    ]);
    const lookup = new Tool(({ q }: { q: string }) => `about ${q}`, {
      name: 'lookup',
      args: { q: { type: 'string' } },
    });
    const agent = new ReAct(signature('question -> answer'), { tools: [lookup], lm: scripted });
    const chunks = await collect(agent.stream({ question: 'q' }, { fields: ['answer'] }));
    const statuses = chunks.filter((c) => c.type === 'status').map((c) => c.type === 'status' && c.message);
    expect(statuses).toContain('Calling tool lookup...');
    expect(statuses).toContain('Tool calling finished! Querying the LLM with tool calling results...');
    expect(statuses).not.toContain('Calling tool finish...');
    expect(joined(chunks)).toEqual({ 'extract.predict.answer': 'found' });
  });
});
