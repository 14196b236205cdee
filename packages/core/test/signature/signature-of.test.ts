import {
  arrayOf,
  dictOf,
  Field,
  Input,
  oneOf,
  Output,
  Signature,
  signature,
  signatureOf,
  SignatureSpec,
} from '@sigil/core';
import { defaultInstructions, inferPrefix } from '@sigil/core/internal';

class Address {
  @Field() city!: string;
  @Field({ type: [String] }) lines!: string[];
}

@Signature('Answer the question.')
class QA {
  @Input({ desc: 'the question' }) question!: string;
  @Output() answer!: string;
}

describe('signatureOf', () => {
  it('returns the same frozen description every time', () => {
    const spec = signatureOf(QA);
    expect(signatureOf(QA)).toBe(spec);
    expect(spec).toBeInstanceOf(SignatureSpec);
    expect(Object.isFrozen(spec)).toBe(true);
    expect(Object.isFrozen(spec.fields)).toBe(true);
    expect(Object.isFrozen(spec.fields[0])).toBe(true);
  });

  it('returns a spec passed to it unchanged', () => {
    const spec = signature('question -> answer');
    expect(signatureOf(spec)).toBe(spec);
  });

  it('reads the names, order, descriptions and instructions the decorators recorded', () => {
    const spec = signatureOf(QA);
    expect(spec.name).toBe('QA');
    expect(spec.instructions).toBe('Answer the question.');
    expect(spec.inputNames).toEqual(['question']);
    expect(spec.outputNames).toEqual(['answer']);
    expect(spec.field('question')).toMatchObject({ io: 'input', desc: 'the question', prefix: 'Question:' });
    expect(spec.field('answer')?.desc).toBeUndefined();
  });

  it('does nothing at decoration time beyond recording', () => {
    // A class that is wrong but never used does not throw.
    expect(() => {
      class NeverUsed {
        @Input() question!: string;
      }
      return NeverUsed;
    }).not.toThrow();
  });

  it('gives DSPy default instructions when @Signature is absent', () => {
    class Summarize {
      @Input() document!: string;
      @Input() audience!: string;
      @Output() summary!: string;
    }
    expect(signatureOf(Summarize).instructions).toBe(
      'Given the fields `document`, `audience`, produce the fields `summary`.',
    );
    expect(defaultInstructions(['a'], ['b', 'c'])).toBe('Given the fields `a`, produce the fields `b`, `c`.');
  });

  it('puts parent fields first and lets a subclass override the instructions', () => {
    @Signature('Parent instructions.')
    class Base {
      @Input() context!: string;
      @Output() answer!: string;
    }
    @Signature('Child instructions.')
    class WithQuestion extends Base {
      @Input() question!: string;
      @Output() confidence!: number;
    }
    class Inherits extends Base {
      @Input() extra!: string;
    }
    const spec = signatureOf(WithQuestion);
    expect(spec.fields.map((f) => f.name)).toEqual(['context', 'question', 'answer', 'confidence']);
    expect(spec.instructions).toBe('Child instructions.');
    expect(signatureOf(Inherits).instructions).toBe('Parent instructions.');
    expect(signatureOf(Base).fields.map((f) => f.name)).toEqual(['context', 'answer']);
  });

  it('keeps a redeclared field at its parent position with the subclass options', () => {
    class Base {
      @Input() question!: string;
      @Output() answer!: string;
    }
    class Described extends Base {
      @Output({ desc: 'one word' }) declare answer: string;
    }
    expect(signatureOf(Described).field('answer')?.desc).toBe('one word');
    expect(signatureOf(Base).field('answer')?.desc).toBeUndefined();
  });

  it('takes types from design:type and from explicit type options', () => {
    class Typed {
      @Input() text!: string;
      @Input() threshold!: number;
      @Input() strict!: boolean;
      @Input({ type: [String] }) tags!: string[];
      @Output({ type: oneOf('a', 'b') }) label!: 'a' | 'b';
      @Output({ type: 'integer' }) count!: number;
      @Output({ type: () => Address }) address!: Address;
      @Output({ type: arrayOf(Number) }) scores!: number[];
      @Output({ type: dictOf(Boolean) }) flags!: Record<string, boolean>;
    }
    const types = Object.fromEntries(signatureOf(Typed).fields.map((f) => [f.name, f.type]));
    expect(types.text).toEqual({ kind: 'string' });
    expect(types.threshold).toEqual({ kind: 'number' });
    expect(types.strict).toEqual({ kind: 'boolean' });
    expect(types.tags).toEqual({ kind: 'array', items: { kind: 'string' } });
    expect(types.label).toEqual({ kind: 'literal', values: ['a', 'b'] });
    expect(types.count).toEqual({ kind: 'integer' });
    expect(types.address).toMatchObject({
      kind: 'class',
      name: 'Address',
      fields: [
        { name: 'city', type: { kind: 'string' } },
        { name: 'lines', type: { kind: 'array', items: { kind: 'string' } } },
      ],
    });
    expect(types.scores).toEqual({ kind: 'array', items: { kind: 'number' } });
    expect(types.flags).toEqual({ kind: 'dict', values: { kind: 'boolean' } });
  });

  it('cleans instructions as DSPy does (inspect.cleandoc)', () => {
    @Signature(`
      Answer the question.

      Be brief.
    `)
    class Indented {
      @Input() question!: string;
      @Output() answer!: string;
    }
    expect(signatureOf(Indented).instructions).toBe('Answer the question.\n\nBe brief.');
  });
});

describe('inferPrefix', () => {
  it.each([
    ['question', 'Question:'],
    ['someField', 'Some Field:'],
    ['snake_case', 'Snake Case:'],
    ['HTMLParser', 'HTML Parser:'],
    ['text2number', 'Text 2 Number:'],
    ['_id', ' Id:'],
  ])('turns %s into %s', (name, prefix) => {
    expect(inferPrefix(name)).toBe(prefix);
  });
});

describe('derived signatures', () => {
  const original = signature('question -> answer', 'Answer.');

  it('withInstructions returns a new signature and leaves the original untouched', () => {
    const derived = original.withInstructions('Answer briefly.');
    expect(derived.instructions).toBe('Answer briefly.');
    expect(derived).not.toBe(original);
    expect(original.instructions).toBe('Answer.');
    expect(derived.fields).toEqual(original.fields);
  });

  it('prepends and appends inputs and outputs in place', () => {
    const withReasoning = original.prepend('reasoning', { io: 'output', desc: 'step by step' });
    expect(withReasoning.fields.map((f) => f.name)).toEqual(['question', 'reasoning', 'answer']);
    expect(withReasoning.field('reasoning')).toMatchObject({ desc: 'step by step', prefix: 'Reasoning:' });
    const withContext = original.prepend('context', { io: 'input', type: [String] });
    expect(withContext.fields.map((f) => f.name)).toEqual(['context', 'question', 'answer']);
    expect(withContext.field('context')?.type).toEqual({ kind: 'array', items: { kind: 'string' } });
    expect(original.append('hint', { io: 'input' }).inputNames).toEqual(['question', 'hint']);
    expect(original.append('score', { io: 'output', type: Number }).outputNames).toEqual(['answer', 'score']);
    expect(original.fields.map((f) => f.name)).toEqual(['question', 'answer']);
  });

  it('withField replaces a description or prefix on a copy', () => {
    const derived = original.withField('answer', { desc: 'a city', prefix: 'City:' });
    expect(derived.field('answer')).toMatchObject({ desc: 'a city', prefix: 'City:' });
    expect(original.field('answer')).toMatchObject({ desc: undefined, prefix: 'Answer:' });
  });

  it('delete removes a field on a copy', () => {
    const wider = original.append('hint', { io: 'input' });
    expect(wider.delete('hint').fields.map((f) => f.name)).toEqual(['question', 'answer']);
    expect(wider.inputNames).toEqual(['question', 'hint']);
  });

  it('keeps the default instructions of the original rather than recomputing them', () => {
    const defaulted = signature('question -> answer');
    expect(defaulted.prepend('reasoning', { io: 'output' }).instructions).toBe(
      'Given the fields `question`, produce the fields `answer`.',
    );
  });
});

describe('string signatures', () => {
  it('build the same description as the equivalent class', () => {
    @Signature('Answer from the context.')
    class StringSignature {
      @Input({ type: [String] }) context!: string[];
      @Input() question!: string;
      @Output() answer!: number;
    }
    const fromString = signature('context: string[], question -> answer: number', 'Answer from the context.');
    const fromClass = signatureOf(StringSignature);
    expect(fromString.name).toBe(fromClass.name);
    expect(fromString.instructions).toBe(fromClass.instructions);
    expect(fromString.fields).toEqual(fromClass.fields);
  });

  it('read Python type names', () => {
    const spec = signature(
      "a: list[str], b: dict[str, int], c: Literal['x', 'y'], d: bool, e: float -> f: int",
    );
    const types = Object.fromEntries(spec.fields.map((f) => [f.name, f.type]));
    expect(types).toEqual({
      a: { kind: 'array', items: { kind: 'string' } },
      b: { kind: 'dict', values: { kind: 'integer' } },
      c: { kind: 'literal', values: ['x', 'y'] },
      d: { kind: 'boolean' },
      e: { kind: 'number' },
      f: { kind: 'integer' },
    });
  });
});
