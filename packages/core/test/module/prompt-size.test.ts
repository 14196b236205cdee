import 'reflect-metadata';
import { context, Predict, ReAct, signature, Tool } from '@sigil/core';
import { ScriptedLM } from '@sigil/testing';
import { chatReply } from './replies';

const qa = signature('question -> answer');

function largePromptWarnings(warn: jest.SpyInstance): string[] {
  return warn.mock.calls
    .filter(([, options]) => (options as { code?: string } | undefined)?.code === 'SIGIL_LARGE_PROMPT')
    .map(([message]) => String(message));
}

describe('prompt size warning (issue 16)', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => (warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined)));
  afterEach(() => warn.mockRestore());

  it('warns once, with the size and the demos it came from, when a prompt is too large', async () => {
    const lm = new ScriptedLM(() => chatReply({ answer: 'a' }), { cycle: true });
    const predict = new Predict(qa, { lm });
    predict.demos = Array.from({ length: 20_000 }, (_, i) => ({
      question: `question ${i}`,
      answer: `answer ${i}`,
    }));
    await predict.forward({ question: 'q' });
    await predict.forward({ question: 'q2' });
    const warnings = largePromptWarnings(warn);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Predict\(StringSignature\): the prompt is [\d,]+ characters/);
    expect(warnings[0]).toContain('20,000 demos make');
    expect(warnings[0]).toContain('largePromptChars');
  });

  it("names the system message (ReAct's tool list) when it is the large part", async () => {
    const tools = Array.from(
      { length: 10_000 },
      (_, i) => new Tool(() => i, { name: `tool_${i}`, desc: `Tool number ${i}, which does thing ${i}.` }),
    );
    const lm = new ScriptedLM(
      () =>
        chatReply({
          next_thought: 't',
          next_tool_name: 'finish',
          next_tool_args: {},
          reasoning: 'r',
          answer: 'a',
        }),
      { cycle: true },
    );
    await new ReAct(qa, { tools, lm }).forward({ question: 'q' });
    const warnings = largePromptWarnings(warn);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /the system message \(instructions, field descriptions, ReAct's tool list\) is [\d,]+/,
    );
  });

  it('follows the largePromptChars setting, and never warns with false', async () => {
    const lm = new ScriptedLM(() => chatReply({ answer: 'a' }), { cycle: true });
    await context({ largePromptChars: 50 }, () =>
      new Predict(qa, { lm }).forward({ question: 'a question' }),
    );
    expect(largePromptWarnings(warn)).toHaveLength(1);
    const predict = new Predict(qa, { lm });
    predict.demos = Array.from({ length: 20_000 }, (_, i) => ({ question: `q${i}`, answer: `a${i}` }));
    await context({ largePromptChars: false }, () => predict.forward({ question: 'q' }));
    expect(largePromptWarnings(warn)).toHaveLength(1);
  });
});
