import { Field, Input, Output, signature, signatureOf, SignatureError } from '@sigil/core';
import { RESERVED_FIELD_NAMES } from '@sigil/core/internal';

function definitionError(define: () => unknown): SignatureError {
  try {
    define();
  } catch (error) {
    expect(error).toBeInstanceOf(SignatureError);
    return error as SignatureError;
  }
  throw new Error('expected a SignatureError');
}

describe('signature definition errors', () => {
  it('reports a class without an output field when it is first used, not when it is declared', () => {
    class OnlyInputs {
      @Input() question!: string;
    }
    const error = definitionError(() => signatureOf(OnlyInputs));
    expect(error.message).toBe(
      'Signature "OnlyInputs" has no output field — mark at least one field with @Output().',
    );
    expect(error.signatureName).toBe('OnlyInputs');
  });

  it('reports a class whose fields carry no @Input or @Output', () => {
    class Plain {
      question!: string;
    }
    expect(definitionError(() => signatureOf(Plain)).message).toBe(
      'Class "Plain" is not a signature: none of its fields carries @Input() or @Output().',
    );
  });

  it('reports a field declared twice in a string signature', () => {
    const error = definitionError(() => signature('question, question -> answer'));
    expect(error.message).toBe(
      'Signature "StringSignature": input field "question" is declared twice — remove one of them.',
    );
    expect(error.fieldName).toBe('question');
  });

  it('reports a derived signature that adds a name already taken', () => {
    const spec = signature('question -> answer');
    expect(definitionError(() => spec.append('answer', { io: 'output' })).message).toBe(
      'Signature "StringSignature": output field "answer" is declared twice — remove one of them.',
    );
  });

  it.each(['completed', 'toJSON', 'inputs'])('reports the reserved field name %s', (name) => {
    expect(RESERVED_FIELD_NAMES.has(name)).toBe(true);
    const error = definitionError(() => signature(`${name} -> answer`));
    expect(error.message).toBe(
      `Signature "StringSignature": field name "${name}" is reserved — rename the field.`,
    );
    expect(error.fieldName).toBe(name);
  });

  it('reports a reserved name on a decorated class', () => {
    class Marker {
      @Input() question!: string;
      @Output() completed!: string;
    }
    expect(definitionError(() => signatureOf(Marker)).message).toBe(
      'Signature "Marker": field name "completed" is reserved — rename the field.',
    );
  });

  it('reports an input that is also an output in a string signature', () => {
    expect(definitionError(() => signature('answer -> answer')).message).toBe(
      'Signature "StringSignature": output field "answer" is also declared as an input — rename one of them.',
    );
  });

  it('reports a subclass that redeclares a parent input as an output', () => {
    class Parent {
      @Input() question!: string;
      @Output() answer!: string;
    }
    class Child extends Parent {
      @Output() declare question: string;
    }
    const error = definitionError(() => signatureOf(Child));
    expect(error.message).toBe(
      'Signature "Child": output field "question" is also declared as an input — rename one of them.',
    );
    expect(error.fieldName).toBe('question');
  });

  it('reports a field name that is not an identifier', () => {
    class Dashed {
      @Input() 'user-question'!: string;
      @Output() answer!: string;
    }
    expect(definitionError(() => signatureOf(Dashed)).message).toBe(
      'Signature "Dashed": field name "user-question" is not a valid identifier — use letters, digits and _ (in any script).',
    );
  });

  const hint =
    "Pass an explicit type, e.g. @Output({ type: [String] }), @Output({ type: oneOf('a', 'b') }) or @Output({ type: () => MyClass }).";

  it('reports an array field without an element type', () => {
    class Tags {
      @Input() text!: string;
      @Output() tags!: string[];
    }
    expect(definitionError(() => signatureOf(Tags)).message).toBe(
      `Signature "Tags": field "tags" has a type that cannot be described (Array without an element type). ${hint}`,
    );
  });

  it('reports a Date field', () => {
    class When {
      @Input() text!: string;
      @Output() date!: Date;
    }
    const error = definitionError(() => signatureOf(When));
    expect(error.message).toBe(
      `Signature "When": field "date" has a type that cannot be described (Date). ${hint}`,
    );
    expect(error.fieldName).toBe('date');
  });

  it('reports a nested class with no described members', () => {
    class Address {
      city!: string;
    }
    class Locate {
      @Input() text!: string;
      @Output({ type: () => Address }) address!: Address;
    }
    expect(definitionError(() => signatureOf(Locate)).message).toBe(
      'Signature "Locate": field "address" uses class Address, which has no described members — ' +
        'decorate its properties with @Field() (or class-validator decorators).',
    );
  });

  it('reports a recursive nested class', () => {
    class TreeNode {
      @Field() label!: string;
      @Field({ type: () => TreeNode }) parent!: TreeNode;
    }
    class Parse {
      @Input() text!: string;
      @Output({ type: () => TreeNode }) tree!: TreeNode;
    }
    const error = definitionError(() => signatureOf(Parse));
    expect(error.message).toBe(
      'Signature "Parse": field "tree.parent" uses class TreeNode, which refers to itself; recursive types cannot be described.',
    );
    expect(error.fieldName).toBe('tree.parent');
  });

  it('reports a string signature without an arrow', () => {
    expect(definitionError(() => signature('a b')).message).toBe(
      'Signature "a b" must contain exactly one "->" between inputs and outputs, e.g. "question -> answer".',
    );
  });

  it('reports a string signature with two arrows', () => {
    expect(definitionError(() => signature('a -> b -> c')).message).toBe(
      'Signature "a -> b -> c" must contain exactly one "->" between inputs and outputs, e.g. "question -> answer".',
    );
  });

  it('reports a string signature field name with a space', () => {
    expect(definitionError(() => signature('a b -> c')).message).toBe(
      'Signature "StringSignature": field name "a b" is not a valid identifier — use letters, digits and _ (in any script).',
    );
  });

  it('reports an unknown type in a string signature', () => {
    const error = definitionError(() => signature('question: text -> answer'));
    expect(error.message).toBe(
      'Signature "question: text -> answer": field "question" has unknown type "text" — ' +
        'use string, number, int, boolean, X[], list[X], dict[str, X] or Literal[...].',
    );
    expect(error.fieldName).toBe('question');
  });

  it('reports a string signature without outputs', () => {
    expect(definitionError(() => signature('question ->')).message).toBe(
      'Signature "StringSignature" has no output field — mark at least one field with @Output().',
    );
  });

  it('reports an update of a field that does not exist', () => {
    expect(
      definitionError(() => signature('question -> answer').withField('answr', { desc: 'x' })).message,
    ).toBe('Signature "StringSignature" has no field "answr" to update.');
  });
});
