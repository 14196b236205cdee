import { Evaluate, Example, loadDataset, Prediction, type Metric } from '@sigil/core';

type QA = { question: string; answer: string };

describe('Example and Prediction types', () => {
  it('typed examples flow into untyped APIs and typed metrics', async () => {
    const typed: Example<QA, 'question'> = Example.from<QA>({ question: 'q', answer: 'a' }).withInputs(
      'question',
    );
    const loose: Example = typed;
    const anyExample: Example<any, any> = typed;
    const list: Example[] = [typed];
    const { examples } = await loadDataset([{ question: 'q', answer: 'a' }], { inputs: ['question'] });
    const loaded: Example[] = examples;
    const question: string = examples[0].inputs().question;

    const metric: Metric<Example<QA, 'question'>, Prediction<{ answer: string }>> = (example, prediction) =>
      example.answer === prediction.answer;
    const evaluate = new Evaluate({ devset: [typed], metric, progress: false });
    const report = await evaluate.run({ forward: async () => ({ answer: 'a' }) });
    const answer: string = report.results[0].example.answer;

    // @ts-expect-error — a label is not an input
    expect(typed.inputs().answer).toBeUndefined();
    // @ts-expect-error — inputs are not labels
    expect(typed.labels().question).toBeUndefined();
    expect([loose, anyExample, list, loaded, question, answer, report.score]).toHaveLength(7);
  });
});
