import type { LanguageModel } from '@sigil/core';
import { ScriptedLM, ScriptExhaustedError } from '@sigil/testing';

const user = (content: string) => [{ role: 'user' as const, content }];

describe('ScriptedLM', () => {
  it('answers from a list in order, records calls, and fails clearly when the list runs out', async () => {
    const lm: LanguageModel = new ScriptedLM(['one', 'two'], { model: 'dummy' });
    expect((await lm.call(user('a'))).completions[0].text).toBe('one');
    expect((await lm.call(user('b'), { temperature: 0 })).completions[0].text).toBe('two');
    await expect(lm.call(user('c'))).rejects.toBeInstanceOf(ScriptExhaustedError);
    const scripted = lm as ScriptedLM;
    expect(scripted.calls.map((c) => c.messages[0].content)).toEqual(['a', 'b', 'c']);
    expect(scripted.calls[1].options).toEqual({ temperature: 0 });
    expect(scripted.lastCall?.messages[0].content).toBe('c');
  });

  it('cycles a list when asked', async () => {
    const lm = new ScriptedLM(['x', 'y'], { cycle: true });
    const texts = [];
    for (let i = 0; i < 5; i++) texts.push((await lm.call(user('q'))).completions[0].text);
    expect(texts).toEqual(['x', 'y', 'x', 'y', 'x']);
  });

  it('answers from a function of the messages, options and call index', async () => {
    const lm = new ScriptedLM(
      (messages, options, index) => `${index}:${messages.at(-1)!.content}:${options.n ?? 1}`,
    );
    expect((await lm.call(user('hi'))).completions[0].text).toBe('0:hi:1');
    expect((await lm.call(user('yo'), { n: 2 })).completions.map((c) => c.text)).toEqual([
      '1:yo:2',
      '1:yo:2',
    ]);
  });

  it('returns one completion per sample: a repeated text, or a list per call', async () => {
    const lm = new ScriptedLM([['a', 'b', 'c'], 'same']);
    expect((await lm.call(user('q'), { n: 3 })).completions.map((c) => c.text)).toEqual(['a', 'b', 'c']);
    expect((await lm.call(user('q'), { n: 2 })).completions.map((c) => c.text)).toEqual(['same', 'same']);
  });

  it('reports estimated or scripted usage, cost, and sums usage', async () => {
    const lm = new ScriptedLM(
      [
        '12345678',
        { completions: [{ text: 'tool', finishReason: 'tool_calls' }], usage: { promptTokens: 50 } },
      ],
      { costPerCall: 0.01, model: 'm' },
    );
    const first = await lm.call(user('abcd'));
    expect(first).toMatchObject({ cost: 0.01, model: 'm', cached: false });
    expect(first.usage).toEqual({ promptTokens: 1, completionTokens: 2, cachedTokens: 0, totalTokens: 3 });
    const second = await lm.call(user('abcd'));
    expect(second.completions[0].finishReason).toBe('tool_calls');
    expect(second.usage).toMatchObject({ promptTokens: 50, totalTokens: 51 });
    expect(lm.usage().totalTokens).toBe(54);
    lm.reset();
    expect(lm.calls).toHaveLength(0);
    expect(lm.usage().totalTokens).toBe(0);
  });

  it('takes fixed usage numbers and honours an aborted signal', async () => {
    const lm = new ScriptedLM(['z'], { usage: { promptTokens: 10, completionTokens: 5 } });
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(lm.call(user('q'), { signal: controller.signal })).rejects.toThrow('stop');
    expect((await lm.call(user('q'))).usage).toEqual({
      promptTokens: 10,
      completionTokens: 5,
      cachedTokens: 0,
      totalTokens: 15,
    });
  });
});
