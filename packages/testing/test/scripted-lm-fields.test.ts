import 'reflect-metadata';
import {
  ChainOfThought,
  context,
  Input,
  JSONAdapter,
  Output,
  Predict,
  Signature,
  signature,
  type ChatMessage,
} from '@sigil/core';
import { formatFieldReply, replyFormatOf, ScriptedLM } from '@sigil/testing';

@Signature('Classify the review.')
class Review {
  @Input() review!: string;
  @Output() label!: string;
  @Output() confidence!: number;
  @Output() flagged!: boolean;
  @Output({ type: [String] }) aspects!: string[];
}

describe('ScriptedLM with field values (DSPy DummyLM style)', () => {
  it('formats field values as ChatAdapter blocks for a ChatAdapter request, and Predict parses them', async () => {
    const lm = new ScriptedLM([{ answer: 'Paris' }, { answer: 'Rome' }]);
    const qa = new Predict(signature('question -> answer'), { lm });
    expect((await qa.forward({ question: 'Capital of France?' })).answer).toBe('Paris');
    expect((await qa.forward({ question: 'Capital of Italy?' })).answer).toBe('Rome');
    expect(lm.calls).toHaveLength(2);
  });

  it('prints numbers, booleans and lists as DSPy does, so typed outputs parse back', async () => {
    const lm = new ScriptedLM([
      { label: 'positive', confidence: 0.9, flagged: false, aspects: ['price', 'size'] },
    ]);
    const out = await new Predict(Review, { lm }).forward({ review: 'Great value.' });
    expect(out).toMatchObject({
      label: 'positive',
      confidence: 0.9,
      flagged: false,
      aspects: ['price', 'size'],
    });
    expect(lm.lastCall?.messages.at(-1)?.content).toContain('Great value.');
  });

  it('writes the exact ChatAdapter reply text', () => {
    expect(formatFieldReply({ reasoning: 'Because.', answer: 42, ok: true, tags: ['a'] }, 'chat')).toBe(
      '[[ ## reasoning ## ]]\nBecause.\n\n[[ ## answer ## ]]\n42\n\n[[ ## ok ## ]]\nTrue\n\n' +
        '[[ ## tags ## ]]\n["a"]\n\n[[ ## completed ## ]]',
    );
  });

  it('answers a JSONAdapter request with a JSON object', async () => {
    const lm = new ScriptedLM([{ answer: 'Paris' }]);
    const qa = new Predict(signature('question -> answer'), { lm });
    const out = await context({ adapter: new JSONAdapter() }, () => qa.forward({ question: 'Capital?' }));
    expect(out.answer).toBe('Paris');
    const options = lm.calls[0].options;
    expect(replyFormatOf(lm.calls[0].messages, options)).toBe('json');
    expect(JSON.parse(formatFieldReply({ answer: 'Paris' }, 'json'))).toEqual({ answer: 'Paris' });
  });

  it('detects JSONAdapter from its prompt when no response_format was asked for', () => {
    const system: ChatMessage = {
      role: 'system',
      content: 'Outputs will be a JSON object with the following fields.',
    };
    expect(replyFormatOf([system], {})).toBe('json');
    expect(replyFormatOf([{ role: 'system', content: '[[ ## answer ## ]]' }], {})).toBe('chat');
  });

  it('serves ChainOfThought with the reasoning given as a field', async () => {
    const lm = new ScriptedLM([{ reasoning: '2 and 2 make 4.', answer: '4' }]);
    const out = await new ChainOfThought(signature('question -> answer'), { lm }).forward({
      question: '2+2?',
    });
    expect(out).toMatchObject({ reasoning: '2 and 2 make 4.', answer: '4' });
  });

  it('takes field values from a function and one set per sample from a list', async () => {
    const lm = new ScriptedLM((_messages, _options, index) => [
      { answer: `a${index}` },
      { answer: `b${index}` },
    ]);
    const response = await lm.call([{ role: 'user', content: 'q' }], { n: 2 });
    expect(response.completions.map((c) => c.text)).toEqual([
      '[[ ## answer ## ]]\na0\n\n[[ ## completed ## ]]',
      '[[ ## answer ## ]]\nb0\n\n[[ ## completed ## ]]',
    ]);
    const repeated = await new ScriptedLM([{ answer: 'x' }]).call([{ role: 'user', content: 'q' }], { n: 3 });
    expect(repeated.completions).toHaveLength(3);
  });

  it('treats an output field named `completions` as a field value, not as full completions', async () => {
    const lm = new ScriptedLM([{ completions: ['one', 'two'] }]);
    const response = await lm.call([{ role: 'user', content: 'q' }]);
    expect(response.completions[0].text).toBe(
      '[[ ## completions ## ]]\n["one", "two"]\n\n[[ ## completed ## ]]',
    );
  });
});
