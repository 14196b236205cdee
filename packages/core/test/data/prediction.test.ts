import { ExampleError, Prediction } from '@sigil/core';

describe('Prediction', () => {
  it('holds outputs as fields and metadata out of sight', () => {
    const usage = { promptTokens: 10, completionTokens: 5, cachedTokens: 0, totalTokens: 15 };
    const trace = [{ predictor: 'respond', inputs: { q: 'x' }, outputs: { answer: 'Paris' } }];
    const prediction = Prediction.from({ answer: 'Paris' }, { usage, cost: 0.001, trace });
    const answer: string = prediction.answer;
    expect(answer).toBe('Paris');
    expect(Object.keys(prediction)).toEqual(['answer']);
    expect(prediction.toJSON()).toEqual({ answer: 'Paris' });
    expect(JSON.stringify(prediction)).toBe('{"answer":"Paris"}');
    expect(prediction.usage).toEqual(usage);
    expect(prediction.usage).not.toBe(usage);
    expect(prediction.cost).toBe(0.001);
    expect(prediction.trace).toEqual(trace);
    expect(prediction.completions).toEqual([{ answer: 'Paris' }]);
    expect(prediction.get('answer')).toBe('Paris');
    expect(prediction.keys()).toEqual(['answer']);
    // @ts-expect-error — "anwser" is not an output
    expect(prediction.anwser).toBeUndefined();
  });

  it('defaults to zero usage and cost, and keeps given completions', () => {
    const prediction = Prediction.from({ a: 1 }, { completions: [{ a: 1 }, { a: 2 }] });
    expect(prediction.usage.totalTokens).toBe(0);
    expect(prediction.cost).toBe(0);
    expect(prediction.trace).toEqual([]);
    expect(prediction.completions).toHaveLength(2);
  });

  it('is immutable, metadata included', () => {
    const prediction = Prediction.from({ answer: 'Paris' });
    expect(Object.isFrozen(prediction)).toBe(true);
    expect(() => Object.assign(prediction, { answer: 'Rome' })).toThrow(TypeError);
    expect(() => ((prediction.usage as { totalTokens: number }).totalTokens = 3)).toThrow(TypeError);
    expect(() => (prediction.trace as unknown[]).push({})).toThrow(TypeError);
  });

  it('rejects outputs named like its metadata', () => {
    expect(() => Prediction.from({ usage: 1 })).toThrow(/cannot be named "usage"/);
    expect(() => Prediction.from({ get: 1 })).toThrow(ExampleError);
  });
});
