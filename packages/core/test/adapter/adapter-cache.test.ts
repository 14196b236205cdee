import { ChatAdapter, JSONAdapter, signature } from '@sigil/core';

const spec = signature('question -> answer');

describe('per-signature caches', () => {
  it('reuse the system message of a signature and of none other', () => {
    const adapter = new ChatAdapter();
    const first = adapter.format(spec, [], { question: 'a' })[0].content;
    expect(adapter.format(spec, [], { question: 'b' })[0].content).toBe(first);
    const other = spec.withInstructions('Be brief.');
    expect(adapter.format(other, [], { question: 'a' })[0].content).toContain('\n        Be brief.');
    expect(adapter.format(spec, [], { question: 'a' })[0].content).toBe(first);
  });

  it('notice demos edited in place or added to the same array', () => {
    const adapter = new ChatAdapter();
    const demo: Record<string, unknown> = { question: 'Q1', answer: 'A1' };
    const demos = [demo];
    expect(adapter.format(spec, demos, { question: 'Q' })[2].content).toContain('A1');
    demo.answer = 'A2';
    expect(adapter.format(spec, demos, { question: 'Q' })[2].content).toContain('A2');
    demos.push({ question: 'Q3', answer: 'A3' });
    expect(adapter.format(spec, demos, { question: 'Q' })).toHaveLength(6);
    delete demo.answer;
    expect(adapter.format(spec, demos, { question: 'Q' })).toHaveLength(4);
  });

  it('hand out demo messages that cannot be changed by the caller', () => {
    const adapter = new JSONAdapter();
    const demos = [{ question: 'Q1', answer: 'A1' }];
    const messages = adapter.format(spec, demos, { question: 'Q' });
    expect(Object.isFrozen(messages[1])).toBe(true);
    expect(() => {
      messages[1].content = 'changed';
    }).toThrow(TypeError);
    expect(adapter.format(spec, demos, { question: 'Q' })[1].content).toBe('[[ ## question ## ]]\nQ1');
  });
});
