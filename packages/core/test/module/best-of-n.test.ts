import 'reflect-metadata';
import {
  BestOfN,
  context,
  ModuleRunError,
  Predict,
  Refine,
  signature,
  traced,
  type ChatMessage,
} from '@sigil/core';
import { ScriptedLM } from '@sigil/testing';
import { chatReply, lastUserOf, systemOf } from './replies';

const QA = signature('question -> answer');
const reward = (_inputs: unknown, p: { answer: string }) =>
  p.answer === 'right' ? 1 : p.answer === 'close' ? 0.5 : 0;

describe('BestOfN', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => (warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined)));
  afterEach(() => warn.mockRestore());

  it('samples with successive rollout ids at temperature 1 and stops at the threshold', async () => {
    const lm = new ScriptedLM([
      chatReply({ answer: 'wrong' }),
      chatReply({ answer: 'right' }),
      chatReply({ answer: 'x' }),
    ]);
    const best = new BestOfN(new Predict(QA), { n: 3, rewardFn: reward, threshold: 1 });
    const out = await context({ lm, lmOptions: { rolloutId: 10 } }, () => best.forward({ question: 'q' }));
    expect(out.answer).toBe('right');
    expect(lm.calls.map((c) => [c.options.rolloutId, c.options.temperature])).toEqual([
      [10, 1],
      [11, 1],
    ]);
  });

  it('returns the highest reward when none reaches the threshold, the first on ties', async () => {
    const lm = new ScriptedLM([
      chatReply({ answer: 'wrong' }),
      chatReply({ answer: 'close' }),
      chatReply({ answer: 'close!' }),
    ]);
    const out = await context({ lm }, () =>
      new BestOfN(new Predict(QA), { n: 3, rewardFn: reward, threshold: 1 }).forward({ question: 'q' }),
    );
    expect(out.answer).toBe('close');
    expect(lm.calls.map((c) => c.options.rolloutId)).toEqual([0, 1, 2]);
  });

  it('counts a failed attempt as no result and goes on', async () => {
    let i = 0;
    const lm = new ScriptedLM(() => {
      if (i++ === 0) throw new Error('boom');
      return chatReply({ answer: 'right' });
    });
    const out = await context({ lm }, () =>
      new BestOfN(new Predict(QA), { n: 3, rewardFn: reward, threshold: 1 }).forward({ question: 'q' }),
    );
    expect(out.answer).toBe('right');
    expect(warn).toHaveBeenCalledWith('BestOfN: attempt 1 failed with rollout id 0: boom', {
      code: 'SIGIL_ATTEMPT_FAILED',
    });
  });

  it('re-throws once more attempts have failed than failCount allows, as DSPy', async () => {
    const lm = new ScriptedLM(() => {
      throw new Error('down');
    });
    const best = new BestOfN(new Predict(QA), { n: 3, rewardFn: reward, threshold: 1, failCount: 0 });
    await expect(context({ lm }, () => best.forward({ question: 'q' }))).rejects.toThrow('down');
    expect(lm.calls).toHaveLength(2);
  });

  it('throws ModuleRunError carrying every error when all attempts fail within failCount', async () => {
    const lm = new ScriptedLM(() => {
      throw new Error('down');
    });
    const error = await context({ lm }, () =>
      new BestOfN(new Predict(QA), { n: 2, rewardFn: reward, threshold: 1 }).forward({ question: 'q' }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModuleRunError);
    expect((error as ModuleRunError).errors).toHaveLength(2);
    expect((error as Error).message).toBe(
      'BestOfN(Predict): all 2 attempt(s) failed; the last error was: down',
    );
  });

  it('adds only the best attempt’s calls to the trace', async () => {
    const lm = new ScriptedLM([chatReply({ answer: 'close' }), chatReply({ answer: 'wrong' })]);
    const { result, trace } = await context({ lm }, () =>
      traced(() =>
        new BestOfN(new Predict(QA), { n: 2, rewardFn: reward, threshold: 1 }).forward({ question: 'q' }),
      ),
    );
    expect(result.answer).toBe('close');
    expect(trace.map((t) => t.outputs)).toEqual([{ answer: 'close' }]);
  });

  it('validates its options', () => {
    expect(() => new BestOfN(new Predict(QA), { n: 0, rewardFn: reward, threshold: 1 })).toThrow(
      'BestOfN: n must be a whole number ≥ 1, got 0.',
    );
    expect(() => new BestOfN({} as Predict, { n: 1, rewardFn: reward as any, threshold: 1 })).toThrow(
      /needs a module/,
    );
  });
});

describe('Refine', () => {
  const isFeedback = (m: ChatMessage[]) => systemOf(m).includes('`advice`');

  it('asks for advice after a short attempt and gives it to the predictor as hint_ on the next one', async () => {
    let attempt = 0;
    const lm = new ScriptedLM((messages) => {
      if (isFeedback(messages)) {
        return chatReply({
          reasoning: 'r',
          discussion: 'too vague',
          advice: { self: 'Answer with one word.' },
        });
      }
      return chatReply({ answer: attempt++ === 0 ? 'wrong' : 'right' });
    });
    const refine = new Refine(new Predict(QA), { n: 3, rewardFn: reward, threshold: 1 });
    const out = await context({ lm }, () => refine.forward({ question: 'q' }));
    expect(out.answer).toBe('right');
    expect(lm.calls).toHaveLength(3);
    const feedback = lastUserOf(lm.calls[1].messages);
    expect(feedback).toContain('[[ ## reward_value ## ]]\n0');
    expect(feedback).toContain('[[ ## target_threshold ## ]]\n1');
    expect(feedback).toContain('[[ ## module_names ## ]]\n["self"]');
    expect(feedback).toContain('"answer": "wrong"');
    const retry = lm.calls[2].messages;
    expect(systemOf(retry)).toContain('2. `hint_` (str): A hint to the module from an earlier run');
    expect(lastUserOf(retry)).toContain('[[ ## hint_ ## ]]\nAnswer with one word.');
    expect(systemOf(lm.calls[0].messages)).not.toContain('hint_');
  });

  it('keeps its feedback step out of the program’s learnable predictors', () => {
    const refine = new Refine(new Predict(QA), { n: 2, rewardFn: reward });
    expect(refine.namedPredictors().map(([p]) => p)).toEqual(['module']);
  });

  it('runs all n attempts without a threshold and never asks for advice after the last', async () => {
    const lm = new ScriptedLM((messages) =>
      isFeedback(messages)
        ? chatReply({ reasoning: 'r', discussion: 'd', advice: {} })
        : chatReply({ answer: 'close' }),
    );
    const out = await context({ lm }, () =>
      new Refine(new Predict(QA), { n: 2, rewardFn: reward }).forward({ question: 'q' }),
    );
    expect(out.answer).toBe('close');
    expect(lm.calls.filter((c) => isFeedback(c.messages))).toHaveLength(1);
    expect(lm.calls).toHaveLength(3);
  });
});
