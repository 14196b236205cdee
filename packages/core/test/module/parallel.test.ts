import 'reflect-metadata';
import {
  context,
  Example,
  majority,
  ModuleRunError,
  Parallel,
  Predict,
  Prediction,
  signature,
} from '@sigil/core';
import { ScriptedLM } from '@sigil/testing';
import { chatReply, lastUserOf } from './replies';

const QA = signature('question -> answer');

function echoLM(latencyMs = 0) {
  let inFlight = 0;
  let peak = 0;
  const lm = new ScriptedLM(async (messages) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    const question = /\[\[ ## question ## \]\]\n(.*)/.exec(lastUserOf(messages))![1];
    await new Promise((resolve) => setTimeout(resolve, latencyMs * (3 - (Number(question.slice(1)) % 3))));
    inFlight--;
    if (question === 'q3') throw new Error('flaky');
    return chatReply({ answer: question.toUpperCase() });
  });
  return { lm, peak: () => peak };
}

describe('Parallel', () => {
  it('runs the module over the inputs with a concurrency limit and keeps their order', async () => {
    const { lm, peak } = echoLM(2);
    const inputs = ['q0', 'q1', 'q2', 'q4', 'q5', 'q6'].map((question) => ({ question }));
    const results = await context({ lm }, () =>
      new Parallel(new Predict(QA), { concurrency: 2 }).forward(inputs),
    );
    expect(results.map((r) => r?.answer)).toEqual(['Q0', 'Q1', 'Q2', 'Q4', 'Q5', 'Q6']);
    expect(peak()).toBe(2);
  });

  it('leaves null for a failed input and reports it with returnFailed', async () => {
    const { lm } = echoLM();
    const parallel = new Parallel(new Predict(QA), { returnFailed: true });
    const report = await context({ lm }, () =>
      parallel.forward([{ question: 'q1' }, { question: 'q3' }, { question: 'q2' }]),
    );
    expect(report.results.map((r) => r?.answer ?? null)).toEqual(['Q1', null, 'Q2']);
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0]).toMatchObject({ index: 1, inputs: { question: 'q3' } });
    expect((report.failed[0].error as Error).message).toBe('flaky');
  });

  it('passes the inputs of Examples', async () => {
    const { lm } = echoLM();
    const example = new Example({ question: 'q7', answer: 'gold' }).withInputs('question');
    const [out] = await context({ lm }, () => new Parallel(new Predict(QA)).forward([example as any]));
    expect(out?.answer).toBe('Q7');
  });

  it('stops with ModuleRunError once more than maxErrors calls have failed', async () => {
    const { lm } = echoLM();
    const inputs = Array.from({ length: 5 }, () => ({ question: 'q3' }));
    const error = await context({ lm }, () =>
      new Parallel(new Predict(QA), { maxErrors: 1, concurrency: 1 }).forward(inputs),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModuleRunError);
    expect((error as Error).message).toMatch(
      /^Parallel\(Predict\): 2 call\(s\) failed, more than maxErrors = 1/,
    );
    expect(lm.calls).toHaveLength(2);
  });
});

describe('majority', () => {
  it('votes on normalised text and returns the first completion with the winning value', () => {
    const p = Prediction.from(
      { answer: 'Paris' },
      {
        completions: [
          { reasoning: 'a', answer: 'Lyon' },
          { reasoning: 'b', answer: 'the Paris' },
          { reasoning: 'c', answer: 'Paris!' },
          { reasoning: 'd', answer: 'Lyon' },
          { reasoning: 'e', answer: 'paris' },
        ],
      },
    );
    const voted = majority(p);
    expect(voted.toJSON()).toEqual({ reasoning: 'b', answer: 'the Paris' });
    expect(voted.completions).toHaveLength(1);
  });

  it('breaks ties in favour of the earlier value and takes a list and a field name', () => {
    const list = [
      { answer: 'B', note: 'x' },
      { answer: 'A', note: 'y' },
      { answer: 'A', note: 'x' },
      { answer: 'B', note: 'y' },
    ];
    expect(majority(list, 'answer').answer).toBe('B');
    expect(majority(list).note).toBe('x');
  });

  it('ignores values that normalise to nothing unless nothing else is left', () => {
    expect(majority([{ a: '...' }, { a: '!!' }, { a: 'yes' }]).a).toBe('yes');
    expect(majority([{ a: '...' }, { a: '!!' }]).a).toBe('...');
    expect(() => majority([])).toThrow('majority() needs at least one completion.');
  });
});
