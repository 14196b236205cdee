import 'reflect-metadata';
import {
  ChatAdapter,
  InvalidOptionError,
  Input,
  JSONAdapter,
  Output,
  Predict,
  Signature,
  signature,
  signatureOf,
  SignatureError,
} from '@sigil/core';
import { enumOf } from '@sigil/core/internal';
import { ScriptedLM } from '@sigil/testing';

enum Color {
  Red = 'red',
  DarkBlue = 'dark blue',
}
enum Level {
  Low = 1,
  High = 3,
}
class Priority {
  static readonly LOW = 'low';
  static readonly URGENT = 'urgent';
}

@Signature('Paint.')
class Paint {
  @Input() text!: string;
  @Output({ type: enumOf(Color, 'Color') }) color!: Color;
  @Output({ type: enumOf(Level, 'Level') }) level!: Level;
  @Output({ type: enumOf(Priority) }) priority!: string;
}

describe('enum fields (a Python Enum to DSPy)', () => {
  const spec = signatureOf(Paint);

  it('reads TypeScript string and numeric enums and classes of static values, without reverse mappings', () => {
    expect(spec.field('level')!.type).toEqual({
      kind: 'enum',
      name: 'Level',
      members: [
        { name: 'Low', value: 1 },
        { name: 'High', value: 3 },
      ],
    });
    expect(spec.field('priority')!.type).toMatchObject({
      name: 'Priority',
      members: [{ name: 'LOW' }, { name: 'URGENT' }],
    });
  });

  it('prints the enum name and its values as DSPy does', () => {
    const system = new ChatAdapter().format(spec, [], { text: 't' })[0].content;
    expect(system).toContain('1. `color` (Color): \n');
    expect(system).toContain('{color}        # note: the value you produce must be one of: red; dark blue');
    expect(system).toContain('{level}        # note: the value you produce must be one of: 1; 3');
  });

  it('parses a reply naming a value or a member name, and returns the value', () => {
    const reply = '[[ ## color ## ]]\nDarkBlue\n\n[[ ## level ## ]]\nHigh\n\n[[ ## priority ## ]]\nurgent';
    expect(new ChatAdapter().parse(spec, reply)).toEqual({
      color: Color.DarkBlue,
      level: Level.High,
      priority: 'urgent',
    });
    expect(new JSONAdapter().parse(spec, '{"color": "red", "level": 1, "priority": "LOW"}')).toEqual({
      color: 'red',
      level: 1,
      priority: 'low',
    });
  });

  it('asks for the name of a TypeScript enum, which has none at run time', () => {
    expect(() => enumOf(Color)).toThrow(InvalidOptionError);
    class Bare {
      @Input() text!: string;
      @Output({ type: Color as never }) color!: Color;
    }
    expect(() => signatureOf(Bare)).toThrow(
      expect.objectContaining({ message: expect.stringContaining("enumOf(MyEnum, 'MyEnum')") }),
    );
    expect(() => signatureOf(Bare)).toThrow(SignatureError);
  });
});

@Signature('Answer, or say you do not know.')
class WithDefaults {
  @Input() question!: string;
  @Input({ type: 'integer' }) k: number = 3;
  @Output() answer!: string;
  @Output() label: string = 'unknown';
  @Output({ type: { optional: 'integer' } }) count?: number | null;
}

describe('field defaults and optional outputs', () => {
  const spec = signatureOf(WithDefaults);

  it('takes property initializers as the fields’ defaults', () => {
    expect(spec.field('k')!.defaultValue).toEqual({ value: 3 });
    expect(spec.field('label')!.defaultValue).toEqual({ value: 'unknown' });
    expect(spec.field('answer')!.defaultValue).toBeUndefined();
  });

  it('fills a missing output with its default or null, and still requires the others', () => {
    const chat = new ChatAdapter();
    expect(chat.parse(spec, '[[ ## answer ## ]]\nParis')).toEqual({
      answer: 'Paris',
      label: 'unknown',
      count: null,
    });
    expect(() => chat.parse(spec, '[[ ## label ## ]]\nx')).toThrow(
      expect.objectContaining({ missing: ['answer'] }),
    );
  });

  it('gives a missing input its default when the module is called', async () => {
    const lm = new ScriptedLM(['[[ ## answer ## ]]\nParis\n\n[[ ## completed ## ]]']);
    const out = await new Predict(WithDefaults).forward({ question: 'Capital of France?' } as never, { lm });
    expect(out.answer).toBe('Paris');
    expect(lm.calls[0].messages.at(-1)!.content).toContain('[[ ## k ## ]]\n3');
  });
});

describe('signature instructions and names', () => {
  it("gives instructions '' DSPy's default, but keeps '' set later (as loaded state does)", () => {
    const spec = signature('question -> answer', '');
    expect(spec.instructions).toBe('Given the fields `question`, produce the fields `answer`.');
    expect(spec.withInstructions('').instructions).toBe('');
    expect(signature('question -> answer', '   ').instructions).toBe('');
  });

  it('accepts field names in any script and spells T | None as DSPy does', () => {
    const spec = signature('question -> réponse, 答案: int | None, n: Optional[int]');
    expect(spec.outputNames).toEqual(['réponse', '答案', 'n']);
    const user = new ChatAdapter().format(spec, [], { question: 'q' }).at(-1)!.content;
    expect(user).toContain(
      '`[[ ## 答案 ## ]]` (must be formatted as a valid Python UnionType[int, NoneType])',
    );
    expect(user).toContain('`[[ ## n ## ]]` (must be formatted as a valid Python Union[int, NoneType])');
    expect(() => signature('question -> 1answer')).toThrow(SignatureError);
  });
});
