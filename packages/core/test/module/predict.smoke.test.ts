import 'reflect-metadata';
import {
  ChainOfThought,
  Input,
  Output,
  Predict,
  Program,
  Predictor,
  Param,
  Signature,
  configure,
  context,
  traced,
  type ChatMessage,
  type LanguageModel,
  type LMResponse,
} from '@sigil/core';
import { contentText } from '@sigil/core';

function lmFrom(
  reply: (messages: ChatMessage[]) => string,
  model = 'scripted',
): LanguageModel & { calls: ChatMessage[][] } {
  const calls: ChatMessage[][] = [];
  return {
    model,
    calls,
    async call(messages): Promise<LMResponse> {
      calls.push(messages);
      return {
        completions: [{ text: reply(messages), finishReason: 'stop' }],
        usage: { promptTokens: 10, completionTokens: 5, cachedTokens: 0, totalTokens: 15 },
        cost: 0.001,
        model,
        cached: false,
        durationMs: 0,
      };
    },
  };
}

@Signature('Answer the question.')
class QA {
  @Input() question!: string;
  @Output() answer!: string;
}

class TwoStep extends Program {
  @Predictor() draft = new ChainOfThought(QA);
  @Predictor() polish = new Predict(QA);
  @Param({ choices: [1, 3, 5] }) k = 3;
  async forward({ question }: { question: string }) {
    const d = await this.draft.forward({ question });
    return this.polish.forward({ question: `${question} ${d.answer}` });
  }
}

describe('Predict smoke', () => {
  it('calls the LM and parses the reply', async () => {
    const lm = lmFrom(() => '[[ ## answer ## ]]\nParis\n\n[[ ## completed ## ]]');
    const p = new Predict(QA, { lm });
    const out = await p.forward({ question: 'Capital of France?' });
    expect(out.answer).toBe('Paris');
    expect(out.usage.totalTokens).toBe(15);
  });

  it('walks predictors and params, traces, saves and loads', async () => {
    const lm = lmFrom((m) =>
      contentText(m[0].content).includes('reasoning')
        ? '[[ ## reasoning ## ]]\nhmm\n[[ ## answer ## ]]\nA'
        : '[[ ## answer ## ]]\nB',
    );
    const program = new TwoStep();
    expect(program.namedPredictors().map(([p]) => p)).toEqual(['draft.predict', 'polish']);
    expect(program.parameters().map((p) => p.key)).toEqual([
      'draft.predict:demos',
      'draft.predict:instructions',
      'draft.predict:fields',
      'draft.predict:lm',
      'polish:demos',
      'polish:instructions',
      'polish:fields',
      'polish:lm',
      'k:param',
    ]);
    const { result, trace } = await context({ lm }, () => traced(() => program.forward({ question: 'q' })));
    expect(result.answer).toBe('B');
    expect(trace).toHaveLength(2);
    program.polish.demos = [{ question: 'q1', answer: 'a1' }];
    program.k = 5;
    const state = program.dumpState();
    const other = new TwoStep();
    other.loadState(JSON.parse(JSON.stringify(state)));
    expect(other.polish.demos).toEqual([{ question: 'q1', answer: 'a1' }]);
    expect(other.k).toBe(5);
    const clone = program.clone();
    clone.polish.demos.push({ question: 'x', answer: 'y' });
    expect(program.polish.demos).toHaveLength(1);
    configure({});
  });
});
