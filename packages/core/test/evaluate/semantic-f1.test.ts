import 'reflect-metadata';
import {
  configure,
  Evaluate,
  Example,
  MetricError,
  Prediction,
  semanticF1,
  traced,
  type ChatMessage,
} from '@sigil/core';
import { ScriptedLM } from '@sigil/testing';
import { chatReply, lastUserOf, systemOf } from '../module/replies';

const example = Example.from({ question: 'Who wrote Dune?', response: 'Frank Herbert, in 1965.' }).withInputs(
  'question',
);

function judge(recall: unknown, precision: unknown) {
  return new ScriptedLM([chatReply({ reasoning: 'Compared the two.', recall, precision })], { cycle: true });
}

describe('semanticF1', () => {
  afterEach(() => configure({ lm: undefined }));

  it('scores the harmonic mean of the recall and precision the judge reports', async () => {
    const lm = judge(0.5, 1);
    const metric = semanticF1('response', { lm });
    const score = await metric(example, Prediction.from({ response: 'Frank Herbert.' }));
    expect(score).toBeCloseTo((2 * 0.5 * 1) / 1.5, 10);

    const user = lastUserOf(lm.calls[0].messages);
    expect(user).toContain('[[ ## question ## ]]\nWho wrote Dune?');
    expect(user).toContain('[[ ## ground_truth ## ]]\nFrank Herbert, in 1965.');
    expect(user).toContain('[[ ## system_response ## ]]\nFrank Herbert.');
    const system = systemOf(lm.calls[0].messages);
    expect(system).toMatch(/1\. `reasoning` \(str\).*\n2\. `recall` \(float\).*\n3\. `precision` \(float\)/s);
    expect(system).toContain('Recall is the share');
  });

  it('clamps out-of-range judgements into [0, 1] and scores 0 when nothing overlaps', async () => {
    expect(await semanticF1('response', { lm: judge(1.4, 2) })(example, { response: 'x' })).toBe(1);
    expect(await semanticF1('response', { lm: judge(0, 0) })(example, { response: 'x' })).toBe(0);
    expect(await semanticF1('response', { lm: judge(-1, 0.5) })(example, { response: 'x' })).toBe(0);
  });

  it('passes or fails against the threshold while an optimizer bootstraps (a trace is given)', async () => {
    const metric = semanticF1('response', { lm: judge(0.6, 0.7), threshold: 0.66 });
    await expect(metric(example, { response: 'x' }, [])).resolves.toBe(false);
    const lenient = semanticF1('response', { lm: judge(0.6, 0.7), threshold: 0.6 });
    await expect(lenient(example, { response: 'x' }, [])).resolves.toBe(true);
  });

  it('lists the ideas of each answer first when decompositional', async () => {
    const lm = new ScriptedLM([
      chatReply({
        reasoning: 'r',
        ground_truth_key_ideas: '1. Herbert wrote it 2. in 1965',
        system_response_key_ideas: '1. Herbert wrote it',
        discussion: 'The year is missing.',
        recall: 0.5,
        precision: 1,
      }),
    ]);
    const metric = semanticF1('response', { lm, decompositional: true });
    expect(await metric(example, { response: 'Herbert' })).toBeCloseTo(2 / 3, 10);
    const system = systemOf(lm.calls[0].messages);
    for (const field of ['ground_truth_key_ideas', 'system_response_key_ideas', 'discussion', 'recall']) {
      expect(system).toContain(`\`${field}\``);
    }
  });

  it('reads other field names, and names a missing one', async () => {
    const lm = judge(1, 1);
    const qa = Example.from({ query: 'q', answer: 'a' }).withInputs('query');
    const metric = semanticF1('answer', { lm, questionField: 'query', predictionField: 'text' });
    await expect(metric(qa, { text: 'a' })).resolves.toBe(1);
    await expect(semanticF1('answer', { lm })(qa, { answer: 'a' })).rejects.toThrow(MetricError);
    await expect(semanticF1('answer', { lm })(qa, { answer: 'a' })).rejects.toThrow(
      /reads "question" from the example.*fields: query, answer.*questionField/,
    );
  });

  it("keeps the judge's calls out of the program's trace", async () => {
    const metric = semanticF1('response', { lm: judge(1, 1) });
    const { trace } = await traced(() => metric(example, { response: 'Frank Herbert' }));
    expect(trace).toEqual([]);
  });

  it('judges with the configured LM and works as an Evaluate metric', async () => {
    const lm = new ScriptedLM((messages: ChatMessage[]) =>
      lastUserOf(messages).includes('system_response ## ]]\nright')
        ? chatReply({ reasoning: 'same', recall: 1, precision: 1 })
        : chatReply({ reasoning: 'different', recall: 0, precision: 0 }),
    );
    configure({ lm });
    const devset = [example, example];
    let call = 0;
    const program = { forward: async () => ({ response: call++ === 0 ? 'right' : 'wrong' }) };
    const report = await new Evaluate({
      devset,
      metric: semanticF1(),
      concurrency: 1,
      progress: false,
    }).run(program);
    expect(report.results.map((r) => r.score)).toEqual([1, 0]);
    expect(report.score).toBe(50);
  });

  it('exposes the judge as a module whose predictor can be optimized', () => {
    const metric = semanticF1();
    expect(metric.program.namedPredictors().map(([path]) => path)).toEqual(['judge.predict']);
  });
});
