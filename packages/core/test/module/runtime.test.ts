import 'reflect-metadata';
import {
  ChainOfThought,
  context,
  Input,
  Output,
  Predict,
  Predictor,
  Program,
  ReAct,
  Signature,
  signature,
  Tool,
  traced,
  type Callback,
  type CallEvent,
} from '@sigil/core';
import { ScriptedLM } from '@sigil/testing';
import { chatReply, lastUserOf, systemOf } from './replies';

@Signature('Answer the question.')
class QA {
  @Input() question!: string;
  @Output() answer!: string;
}

class TwoStep extends Program {
  @Predictor() draft = new ChainOfThought(QA);
  @Predictor() polish = new Predict(signature('draft -> answer'));
  async forward({ question }: { question: string }) {
    const d = await this.draft.forward({ question });
    return this.polish.forward({ draft: d.answer });
  }
}

/** An LM that answers with its own name and the question, after a delay, so two flows interleave. */
function namedLM(name: string, latencyMs: number) {
  return new ScriptedLM(
    (messages) => {
      const user = lastUserOf(messages);
      const value = /\[\[ ## (?:question|draft) ## \]\]\n(.*)/.exec(user)![1];
      return systemOf(messages).includes('reasoning')
        ? chatReply({ reasoning: 'r', answer: `${name}:${value}` })
        : chatReply({ answer: `${value}!` });
    },
    { model: name, latencyMs },
  );
}

describe('settings isolation', () => {
  it('keeps two concurrent flows on their own LM across interleaved awaits', async () => {
    const a = namedLM('A', 3);
    const b = namedLM('B', 1);
    const program = new TwoStep();
    const flow = (lm: ScriptedLM, questions: string[]) =>
      context({ lm }, async () => {
        const out: string[] = [];
        for (const question of questions) {
          await new Promise((resolve) => setTimeout(resolve, 1));
          out.push((await program.forward({ question })).answer);
        }
        return out;
      });
    const [fromA, fromB] = await Promise.all([flow(a, ['a1', 'a2']), flow(b, ['b1', 'b2', 'b3'])]);
    expect(fromA).toEqual(['A:a1!', 'A:a2!']);
    expect(fromB).toEqual(['B:b1!', 'B:b2!', 'B:b3!']);
    expect(a.calls).toHaveLength(4);
    expect(b.calls).toHaveLength(6);
    expect(a.calls.every((c) => !/\n(B:)?b\d/.test(lastUserOf(c.messages)))).toBe(true);
    expect(b.calls.every((c) => !/\n(A:)?a\d/.test(lastUserOf(c.messages)))).toBe(true);
  });

  it('records each traced flow’s predictor calls separately, with the predictor instances', async () => {
    const program = new TwoStep();
    const run = (lm: ScriptedLM, question: string) =>
      context({ lm }, () => traced(() => program.forward({ question })));
    const [first, second] = await Promise.all([run(namedLM('A', 2), 'x'), run(namedLM('B', 1), 'y')]);
    expect(first.trace.map((t) => t.predictor)).toEqual([program.draft.predict, program.polish]);
    expect(first.trace[0]).toMatchObject({
      inputs: { question: 'x' },
      outputs: { reasoning: 'r', answer: 'A:x' },
    });
    expect(second.trace[1]).toMatchObject({ inputs: { draft: 'B:y' }, outputs: { answer: 'B:y!' } });
  });

  it('records nothing outside traced()', async () => {
    const lm = namedLM('A', 0);
    const predict = new Predict(QA);
    await context({ lm }, () => predict.forward({ question: 'q' }));
    const { trace } = await context({ lm }, () => traced(async () => 1));
    expect(trace).toEqual([]);
  });
});

describe('callbacks', () => {
  function recorder() {
    const events: string[] = [];
    const seen: CallEvent[] = [];
    const callback: Callback = {
      onStart: (e) => {
        events.push(`start ${e.kind} ${e.name}`);
        seen.push(e);
      },
      onEnd: (e, outcome) => events.push(`end ${e.kind} ${e.name}${outcome.error ? ' (error)' : ''}`),
    };
    return { events, seen, callback };
  }

  it('fire start and end for the program, each module and each LM call, nested in order', async () => {
    const { events, seen, callback } = recorder();
    const lm = namedLM('A', 0);
    await context({ lm, callbacks: [callback], tags: { request: 'r1' } }, () =>
      new TwoStep().forward({ question: 'q' }),
    );
    expect(events).toEqual([
      'start module TwoStep',
      'start module ChainOfThought(QA)',
      'start adapter ChatAdapter.format',
      'end adapter ChatAdapter.format',
      'start lm A',
      'end lm A',
      'start adapter ChatAdapter.parse',
      'end adapter ChatAdapter.parse',
      'end module ChainOfThought(QA)',
      'start module Predict(StringSignature)',
      'start adapter ChatAdapter.format',
      'end adapter ChatAdapter.format',
      'start lm A',
      'end lm A',
      'start adapter ChatAdapter.parse',
      'end adapter ChatAdapter.parse',
      'end module Predict(StringSignature)',
      'end module TwoStep',
    ]);
    expect(seen[0].tags).toEqual({ request: 'r1' });
    expect((seen.find((e) => e.kind === 'lm')!.inputs as { messages: unknown[] }).messages).toHaveLength(2);
  });

  it('report a failing LM call with its error and do not break the program when a callback throws', async () => {
    const { events, callback } = recorder();
    const throwing: Callback = {
      onStart: () => {
        throw new Error('callback bug');
      },
    };
    const lm = new ScriptedLM(() => {
      throw new Error('LM down');
    });
    await expect(
      context({ lm, callbacks: [throwing, callback] }, () => new Predict(QA).forward({ question: 'q' })),
    ).rejects.toThrow('LM down');
    expect(events).toEqual([
      'start module Predict(QA)',
      'start adapter ChatAdapter.format',
      'end adapter ChatAdapter.format',
      'start lm scripted',
      'end lm scripted (error)',
      'end module Predict(QA) (error)',
    ]);
  });

  it('fire for ReAct around its inner predictors', async () => {
    const { events, callback } = recorder();
    const lm = new ScriptedLM((messages) =>
      systemOf(messages).includes('next_thought')
        ? chatReply({ next_thought: 't', next_tool_name: 'finish', next_tool_args: {} })
        : chatReply({ reasoning: 'r', answer: 'a' }),
    );
    const agent = new ReAct(signature('question -> answer'), { tools: [new Tool(() => 1, { name: 'one' })] });
    await context({ lm, callbacks: [callback] }, () => agent.forward({ question: 'q' }));
    expect(events[0]).toBe('start module ReAct(StringSignature)');
    expect(events.at(-1)).toBe('end module ReAct(StringSignature)');
    expect(events.filter((e) => e.startsWith('start lm'))).toHaveLength(2);
  });
});
