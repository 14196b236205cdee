import { contains, Example, exactMatch, f1, MetricError, passageMatch, Prediction } from '@sigil/core';
import { normalizeText, scoreOf } from '@sigil/core/internal';

const example = (fields: Record<string, unknown>) => Example.from(fields).withInputs(Object.keys(fields)[0]);
const score = (metric: ReturnType<typeof exactMatch>, fields: Record<string, unknown>, outputs: object) =>
  scoreOf(metric(example(fields), Prediction.from(outputs)) as boolean | number);

describe('normalizeText (DSPy normalize_text)', () => {
  it.each([
    ['The Eiffel Tower', 'eiffel tower'],
    ['  An   apple, a day!  ', 'apple day'],
    ['theory of the atom', 'theory of atom'],
    ["Rock 'n' Roll", 'rock n roll'],
    ['U.S.A.', 'usa'],
    ['Frank—Herbert', 'frank—herbert'],
    ['', ''],
  ])('normalizes %j to %j', (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });
});

describe('exactMatch', () => {
  it('compares normalised strings', () => {
    expect(
      score(exactMatch('answer'), { q: 'x', answer: 'The Eiffel Tower' }, { answer: 'eiffel tower.' }),
    ).toBe(1);
    expect(score(exactMatch('answer'), { q: 'x', answer: 'Eiffel Tower' }, { answer: 'the tower' })).toBe(0);
  });

  it('accepts any of a list of labels, and numbers', () => {
    expect(score(exactMatch('answer'), { q: 'x', answer: ['NYC', 'New York'] }, { answer: 'new york' })).toBe(
      1,
    );
    expect(score(exactMatch('answer'), { q: 'x', answer: 4 }, { answer: '4' })).toBe(1);
  });

  it('reads another prediction field when asked, and scores a missing output as 0', () => {
    const metric = exactMatch('answer', { predictionField: 'label' });
    expect(score(metric, { q: 'x', answer: 'yes' }, { label: 'Yes' })).toBe(1);
    expect(score(exactMatch('answer'), { q: 'x', answer: 'yes' }, {})).toBe(0);
  });

  it('names a missing label field', () => {
    expect(() => score(exactMatch('answr'), { q: 'x', answer: 'yes' }, {})).toThrow(MetricError);
    expect(() => score(exactMatch('answr'), { q: 'x', answer: 'yes' }, {})).toThrow(
      /"answr".*fields: q, answer/,
    );
  });
});

describe('f1', () => {
  it('computes token F1 after normalisation, best over labels', () => {
    expect(score(f1('answer'), { q: 'x', answer: 'Frank Herbert' }, { answer: 'Herbert' })).toBeCloseTo(
      2 / 3,
    );
    expect(
      score(f1('answer'), { q: 'x', answer: ['nope', 'the Frank Herbert'] }, { answer: 'frank herbert' }),
    ).toBe(1);
    expect(score(f1('answer'), { q: 'x', answer: 'x y y' }, { answer: 'y y z' })).toBeCloseTo(2 / 3);
    expect(score(f1('answer'), { q: 'x', answer: 'a b b' }, { answer: 'b b c' })).toBeCloseTo(0.8); // "a" is an article
  });

  it('gives 0 when nothing is shared, and when both sides are empty (as DSPy)', () => {
    expect(score(f1('answer'), { q: 'x', answer: 'yes' }, { answer: 'no' })).toBe(0);
    expect(score(f1('answer'), { q: 'x', answer: 'the' }, { answer: '' })).toBe(0);
  });
});

describe('contains', () => {
  it('finds a normalised label as whole words in the prediction', () => {
    expect(score(contains('answer'), { q: 'x', answer: 'Paris' }, { answer: 'It is Paris, France.' })).toBe(
      1,
    );
    expect(score(contains('answer'), { q: 'x', answer: 'Paris' }, { answer: 'Parisian food' })).toBe(0);
    expect(score(contains('answer'), { q: 'x', answer: '' }, { answer: 'anything' })).toBe(0);
  });
});

describe('passageMatch', () => {
  it('finds the answer as a token sequence in any retrieved passage', () => {
    const metric = passageMatch('context', 'answer');
    const passages = { context: ['Dune is a novel.', 'It was written by Frank Herbert in 1965.'] };
    expect(score(metric, { question: 'x', answer: 'frank herbert' }, passages)).toBe(1);
    expect(score(metric, { question: 'x', answer: 'Herbert Frank' }, passages)).toBe(0);
    expect(score(metric, { question: 'x', answer: ['Asimov', '1965'] }, passages)).toBe(1);
  });

  it('falls back to the example context when the prediction has none', () => {
    expect(score(passageMatch(), { question: 'x', answer: 'b', context: 'a b c' }, { answer: 'z' })).toBe(1);
  });
});

describe('scoreOf', () => {
  it('normalises booleans, numbers and feedback objects', () => {
    expect(scoreOf(true)).toBe(1);
    expect(scoreOf(false)).toBe(0);
    expect(scoreOf(0.25)).toBe(0.25);
    expect(scoreOf({ score: 0.5, feedback: 'close' })).toBe(0.5);
  });

  it('rejects results that are not scores', () => {
    expect(() => scoreOf(NaN)).toThrow(MetricError);
    expect(() => scoreOf('yes' as unknown as number)).toThrow(/returned string, not a score/);
  });

  it('rejects a score outside 0…1 instead of reporting 500%', () => {
    expect(() => scoreOf(5)).toThrow(
      expect.objectContaining({ code: 'METRIC', message: expect.stringMatching(/returned 5, outside 0…1/) }),
    );
    expect(() => scoreOf(-0.1)).toThrow(MetricError);
    expect(scoreOf(1)).toBe(1);
    expect(scoreOf({ score: 0.25 })).toBe(0.25);
  });
});
