import 'reflect-metadata';
import {
  ChainOfThought,
  context,
  Input,
  LM,
  Output,
  Param,
  Predict,
  Predictor,
  Program,
  ReAct,
  Signature,
  signature,
  Submodule,
  Tool,
  traced,
} from '@sigil/core';
import { FakeOpenAIServer, type RecordedRequest } from '@sigil/testing';
import { chatReply } from './replies';

@Signature('Rewrite the question as a short search query.')
class ToQuery {
  @Input() question!: string;
  @Output() query!: string;
}

@Signature('Answer in a few words.')
class Polish {
  @Input() question!: string;
  @Input() draft!: string;
  @Output() answer!: string;
}

const PASSAGES: Record<string, string> = {
  'darn cat studio': 'That Darn Cat! | a 1965 Walt Disney Productions film.',
};

/** Two predictors, a @Param and a tool-using ReAct whose tool uses the @Param. */
class ResearchAssistant extends Program {
  @Predictor() rewrite = new Predict(ToQuery);
  @Submodule() agent: ReAct;
  @Predictor() polish = new ChainOfThought(Polish);
  @Param({ choices: [1, 2, 3] }) k = 2;
  readonly searched: string[] = [];

  constructor() {
    super();
    const search = new Tool(
      ({ query }: { query: string }) => {
        this.searched.push(query);
        return [PASSAGES[query] ?? 'No results.'].slice(0, this.k);
      },
      { name: 'search', desc: 'Searches an encyclopedia.', args: { query: { type: 'string' } } },
    );
    this.agent = new ReAct(signature('question, query -> draft'), { tools: [search], maxIters: 4 });
  }

  async forward({ question }: { question: string }) {
    const { query } = await this.rewrite.forward({ question });
    const { draft } = await this.agent.forward({ question, query });
    return this.polish.forward({ question, draft });
  }
}

function reply(request: RecordedRequest): string {
  const system: string = request.body.messages[0].content;
  const last: string = request.body.messages.at(-1).content;
  if (system.includes('short search query')) return chatReply({ query: 'darn cat studio' });
  if (system.includes('next_tool_name')) {
    return last.includes('observation_0')
      ? chatReply({ next_thought: 'Found it.', next_tool_name: 'finish', next_tool_args: {} })
      : chatReply({
          next_thought: 'Search.',
          next_tool_name: 'search',
          next_tool_args: { query: 'darn cat studio' },
        });
  }
  if (system.includes('`draft`') && system.includes('trajectory')) {
    return chatReply({ reasoning: 'The observation names the studio.', draft: 'Walt Disney Productions' });
  }
  return chatReply({ reasoning: 'Shorten it.', answer: 'Disney' });
}

describe('end to end against FakeOpenAIServer', () => {
  const server = new FakeOpenAIServer({ reply, apiKey: 'sk-test' });
  let lm: LM;
  beforeAll(async () => {
    const baseURL = await server.start();
    lm = new LM('openai/fake-model', { baseURL, apiKey: 'sk-test', cache: false });
  });
  afterAll(() => server.stop());

  it('runs two predictors, a @Param and a tool-using ReAct through the real LM client', async () => {
    const program = new ResearchAssistant();
    // Paths follow the order properties were assigned (field initialisers, then the constructor body), as in DSPy.
    expect(program.namedPredictors().map(([p]) => p)).toEqual([
      'rewrite',
      'polish.predict',
      'agent.react',
      'agent.extract.predict',
    ]);
    expect(
      program
        .parameters()
        .filter((p) => p.kind === 'param')
        .map((p) => p.path),
    ).toEqual(['k']);

    const { result, trace } = await context({ lm }, () =>
      traced(() => program.forward({ question: 'Which studio made That Darn Cat!?' })),
    );
    expect(result.answer).toBe('Disney');
    expect(result.reasoning).toBe('Shorten it.');
    expect(program.searched).toEqual(['darn cat studio']);
    expect(trace).toHaveLength(5);

    const chats = server.chatRequests;
    expect(chats).toHaveLength(5);
    expect(chats.every((r) => /fake-model$/.test(r.body.model))).toBe(true);
    const extract = chats[3].body.messages.at(-1).content as string;
    expect(extract).toContain(
      '[[ ## observation_0 ## ]]\n«That Darn Cat! | a 1965 Walt Disney Productions film.»',
    );
    expect(extract).toContain('[[ ## observation_1 ## ]]\nCompleted.');
    expect(result.usage.totalTokens).toBeGreaterThan(0);
  });
});
