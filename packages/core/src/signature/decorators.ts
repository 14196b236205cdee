import 'reflect-metadata';
import { InvalidOptionError } from '../errors/sigil-error';
import { recordMetadata } from '../metadata/store';
import { SignatureError } from './errors';
import type { TypeInput } from './field-type';
import type { InputKeyCheck, OutputKeyCheck } from './field-keys';

/** Options of `@Input()` / `@Output()`. */
export interface FieldDecoratorOptions {
  /** What the field means; shown to the model. */
  desc?: string;
  /** DSPy's field prefix (kept in saved programs). Defaults to the field name in title case + `:`. */
  prefix?: string;
  /** The type, where `design:type` cannot tell: arrays, literal unions, nested classes, `'integer'`. */
  type?: TypeInput;
}

/** Options of `@Field()` on a member of a nested class used as a field type. */
export interface MemberDecoratorOptions {
  type?: TypeInput;
  optional?: boolean;
}

/** What the decorators record; read only by `signatureOf`. */
export interface RecordedField {
  readonly property: string;
  readonly io: 'input' | 'output';
  readonly options: FieldDecoratorOptions;
  readonly designType: unknown;
}

export interface RecordedMember {
  readonly property: string;
  readonly options: MemberDecoratorOptions;
  readonly designType: unknown;
}

function checkOptions(kind: string, options: object | undefined): void {
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw new InvalidOptionError(`@${kind}() takes an options object, e.g. @${kind}({ desc: '...' }).`, {
      option: `@${kind}`,
    });
  }
}

/**
 * Marks a class as a signature and gives its instructions.
 * @example @Signature('Answer the question in a few words.') class QA { @Input() question!: string; @Output() answer!: string; }
 */
export function Signature(instructions?: string): ClassDecorator {
  if (instructions !== undefined && typeof instructions !== 'string') {
    throw new InvalidOptionError('@Signature() takes the instructions as a string.', {
      option: '@Signature',
    });
  }
  return (target) => {
    recordMetadata('signature', target, { instructions });
  };
}

function fieldDecorator(io: 'input' | 'output', options: FieldDecoratorOptions = {}): PropertyDecorator {
  checkOptions(io === 'input' ? 'Input' : 'Output', options);
  return (prototype, property) => {
    if (typeof property === 'symbol')
      throw new SignatureError(
        `@${io === 'input' ? 'Input' : 'Output'}() cannot decorate a symbol-named property.`,
        {
          signature: prototype.constructor.name,
        },
      );
    const field: RecordedField = {
      property,
      io,
      options,
      designType: Reflect.getMetadata('design:type', prototype, property),
    };
    recordMetadata('fields', prototype.constructor, field);
  };
}

/**
 * An input field of a signature. Declare inputs `readonly` and outputs not: TypeScript then knows which is
 * which, so a call that misses an input or passes an output does not compile (the compiler also rejects
 * `@Input()` on a mutable field of such a class, and `@Output()` on a readonly one).
 * @example @Input({ desc: 'the review text' }) readonly review!: string;
 */
export function Input(
  options?: FieldDecoratorOptions,
): <T extends object, K extends string>(prototype: T, property: InputKeyCheck<T, K>) => void {
  return fieldDecorator('input', options) as never;
}

/**
 * An output field of a signature; class-validator decorators on it are enforced when a reply is parsed.
 * @example @Output({ type: oneOf('positive', 'negative') }) label!: string;
 */
export function Output(
  options?: FieldDecoratorOptions,
): <T extends object, K extends string>(prototype: T, property: OutputKeyCheck<T, K>) => void {
  return fieldDecorator('output', options) as never;
}

/**
 * A member of a nested class used as a field type (members carrying class-validator decorators are found too).
 * @example class Address { @Field() city!: string; @Field({ type: [String] }) lines!: string[]; }
 */
export function Field(options: MemberDecoratorOptions = {}): PropertyDecorator {
  checkOptions('Field', options);
  return (prototype, property) => {
    if (typeof property === 'symbol')
      throw new SignatureError('@Field() cannot decorate a symbol-named property.', {
        signature: prototype.constructor.name,
      });
    const member: RecordedMember = {
      property,
      options,
      designType: Reflect.getMetadata('design:type', prototype, property),
    };
    recordMetadata('members', prototype.constructor, member);
  };
}
