import { Example, ExampleError } from '@sigil/core';

describe('Example', () => {
  const qa = () => Example.from({ question: 'Who wrote Dune?', answer: 'Frank Herbert' });

  it('exposes fields as own enumerable properties with typed access', () => {
    const example = qa();
    const question: string = example.question;
    expect(question).toBe('Who wrote Dune?');
    expect(Object.keys(example)).toEqual(['question', 'answer']);
    expect({ ...example }).toEqual({ question: 'Who wrote Dune?', answer: 'Frank Herbert' });
    expect(example.keys()).toEqual(['question', 'answer']);
    expect(example.get('answer')).toBe('Frank Herbert');
    expect(example.get('missing', 'fallback')).toBe('fallback');
  });

  it('rejects a misspelled field at compile time', () => {
    const example = qa().withInputs('question');
    // @ts-expect-error — "questoin" is not a field of this example
    expect(example.questoin).toBeUndefined();
    // @ts-expect-error — only declared fields can be marked as inputs
    expect(() => qa().withInputs('questoin')).toThrow(ExampleError);
    // @ts-expect-error — fields are read-only
    expect(() => (example.question = 'changed')).toThrow(TypeError);
  });

  it('is immutable: updates return new examples and the original is frozen', () => {
    const example = qa().withInputs('question');
    expect(Object.isFrozen(example)).toBe(true);
    expect(() => Object.assign(example, { answer: 'x' })).toThrow(TypeError);
    const changed = example.with({ answer: 'F. Herbert', year: 1965 });
    expect(changed.answer).toBe('F. Herbert');
    expect(changed.year).toBe(1965);
    expect(changed.inputKeys).toEqual(['question']);
    expect(example.answer).toBe('Frank Herbert');
    const without = changed.without('year');
    expect(without.keys()).toEqual(['question', 'answer']);
    expect(changed.without('question').inputKeys).toEqual([]);
  });

  it('splits into inputs and labels once inputs are marked', () => {
    const example = qa().withInputs('question');
    expect(example.inputs().toJSON()).toEqual({ question: 'Who wrote Dune?' });
    expect(example.inputs().inputKeys).toEqual(['question']);
    expect(example.labels().toJSON()).toEqual({ answer: 'Frank Herbert' });
    const inputs: { question: string } = example.inputs().toJSON();
    expect(inputs.question).toBe('Who wrote Dune?');
  });

  it('explains that inputs must be marked before inputs() or labels()', () => {
    expect(() => qa().inputs()).toThrow(/needs input keys.*withInputs/);
    expect(() => qa().labels()).toThrow(ExampleError);
  });

  it('rejects reserved field names and non-object fields with a clear error', () => {
    expect(() => Example.from({ inputs: 'x' })).toThrow(/cannot be named "inputs"/);
    expect(() => Example.from({ toJSON: 'x' })).toThrow(ExampleError);
    expect(() => new Example([1, 2] as unknown as object)).toThrow(/got an array/);
  });

  it('keeps a "__proto__" key from JSON as a plain field', () => {
    const example = Example.from(JSON.parse('{"__proto__": "x", "a": 1}'));
    expect(example.get('__proto__')).toBe('x');
    expect(Object.getPrototypeOf(example)).toBe(Example.prototype);
  });

  it('serialises to its fields only', () => {
    const example = qa().withInputs('question');
    expect(JSON.parse(JSON.stringify(example))).toEqual({
      question: 'Who wrote Dune?',
      answer: 'Frank Herbert',
    });
    expect(Example.isExample(example)).toBe(true);
    expect(Example.from(example).inputKeys).toEqual(['question']);
  });

  it('is constructible with new, with inputs', () => {
    const example = new Example({ a: 1, b: 2 }, ['a']);
    expect(example.a).toBe(1);
    expect(example.labels().toJSON()).toEqual({ b: 2 });
    expect(example instanceof Example).toBe(true);
  });
});
