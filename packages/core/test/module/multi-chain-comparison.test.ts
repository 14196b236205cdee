import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  ChainOfThought,
  InvalidOptionError,
  JSONAdapter,
  LM,
  ModuleInputError,
  MultiChainComparison,
  signature,
} from '@sigil/core';
import { FakeOpenAIServer, ScriptedLM } from '@sigil/testing';
import { throughStream } from '../custom-types/streaming-lm';

/** DSPy's messages for MultiChainComparison, recorded with DSPy 3.3.1 (test/adapter/cases). */
const cases: { name: string; expected_messages: unknown[] }[] = JSON.parse(
  readFileSync(resolve(__dirname, '../adapter/cases/dspy-multi-chain-comparison.json'), 'utf8'),
);
const expected = (name: string) => cases.find((c) => c.name === name)!.expected_messages;

const capitals = [
  { reasoning: 'Paris is the capital.\nIt is in France.', answer: 'Paris' },
  { rationale: '  I recall Lyon.  ', answer: 'Lyon\n(second city)' },
  { reasoning: 'The capital of France is Paris', answer: 'Paris' },
];

describe('MultiChainComparison', () => {
  it.each(['chat', 'json'])('sends the prompt DSPy sends (%s adapter)', async (kind) => {
    const lm = new ScriptedLM([{ rationale: 'Most say Paris.', answer: 'Paris' }]);
    const adapter = kind === 'json' ? new JSONAdapter() : undefined;
    const mcc = new MultiChainComparison(signature('question -> answer'), { lm, adapter });
    const out = await mcc.forward({ question: 'What is the capital of France?', completions: capitals });
    expect(out.rationale).toBe('Most say Paris.');
    expect(out.answer).toBe('Paris');
    expect(lm.calls[0].messages).toEqual(expected(`${kind}-mcc-three-attempts`));
    expect(lm.calls[0].options.temperature).toBe(0.7);

    const counting = new MultiChainComparison(signature('context, question -> reasoning_hint, count: int'), {
      M: 2,
      lm: new ScriptedLM([{ rationale: 'r', reasoning_hint: 'h', count: 3 }]),
      adapter,
    });
    await counting.forward({
      context: '2 apples, 1 pear',
      question: 'How many fruit?',
      completions: [
        { reasoning: 'Two apples and one pear.', reasoning_hint: 'count fruit', count: 3 },
        { reasoning: 'Only apples count.', reasoning_hint: 'apples', count: 2 },
      ],
    });
    expect((counting.predict.lm as ScriptedLM).calls[0].messages).toEqual(
      expected(`${kind}-mcc-two-attempts-numeric-last-output`),
    );
  });

  it.each([
    ['non-streamed', (l: LM) => l],
    ['streamed', throughStream],
  ])('compares the completions of a ChainOfThought sampled n times, over HTTP (%s)', async (_, wrap) => {
    const server = new FakeOpenAIServer({
      reply: (request) =>
        request.body.messages[0].content.includes('reasoning_attempt_1')
          ? '[[ ## rationale ## ]]\nAll agree.\n\n[[ ## answer ## ]]\n4\n\n[[ ## completed ## ]]'
          : '[[ ## reasoning ## ]]\n2+2\n\n[[ ## answer ## ]]\n4\n\n[[ ## completed ## ]]',
    });
    const baseURL = await server.start();
    try {
      const lm = wrap(new LM('openai/gpt-4o-mini', { baseURL, apiKey: 'sk-test', cache: false }));
      const qa = signature('question -> answer');
      const sampled = await new ChainOfThought(qa, { lm, config: { n: 3 } }).forward({ question: '2+2?' });
      expect(sampled.completions).toHaveLength(3);
      const best = await new MultiChainComparison(qa, { lm }).forward({
        question: '2+2?',
        completions: sampled.completions,
      });
      expect(best).toMatchObject({ rationale: 'All agree.', answer: '4' });
      expect(server.chatRequests[1].body.temperature).toBe(0.7);
      expect(best.getLmUsage()?.['openai/gpt-4o-mini'].calls).toBe(1);
    } finally {
      await server.stop();
    }
  });

  it('refuses the wrong number of attempts, attempts without reasoning, and a bad M', async () => {
    const mcc = new MultiChainComparison(signature('question -> answer'), { lm: new ScriptedLM([]) });
    await expect(mcc.forward({ question: 'q', completions: capitals.slice(0, 2) })).rejects.toBeInstanceOf(
      ModuleInputError,
    );
    await expect(
      mcc.forward({ question: 'q', completions: [{ answer: 'a' }, ...capitals.slice(1)] }),
    ).rejects.toMatchObject({ code: 'MODULE_INPUT' });
    expect(() => new MultiChainComparison(signature('q -> a'), { M: 0 })).toThrow(InvalidOptionError);
  });
});
