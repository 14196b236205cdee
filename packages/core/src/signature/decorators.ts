import 'reflect-metadata';
import type { TypeInput } from './field-type';
import { InvalidOptionError } from '../errors/sigil-error';
import { SignatureError } from './errors';

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

export const SIGNATURE_KEY = Symbol('sigil:signature');
export const FIELDS_KEY = Symbol('sigil:fields');
export const MEMBERS_KEY = Symbol('sigil:members');

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
    Reflect.defineMetadata(SIGNATURE_KEY, { instructions }, target);
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
    const ctor = prototype.constructor;
    const own: RecordedField[] = Reflect.hasOwnMetadata(FIELDS_KEY, ctor)
      ? Reflect.getOwnMetadata(FIELDS_KEY, ctor)
      : [];
    own.push({ property, io, options, designType: Reflect.getMetadata('design:type', prototype, property) });
    Reflect.defineMetadata(FIELDS_KEY, own, ctor);
  };
}

/**
 * An input field of a signature.
 * @example @Input({ desc: 'the review text' }) review!: string;
 */
export function Input(options?: FieldDecoratorOptions): PropertyDecorator {
  return fieldDecorator('input', options);
}

/**
 * An output field of a signature; class-validator decorators on it are enforced when a reply is parsed.
 * @example @Output({ type: oneOf('positive', 'negative') }) label!: string;
 */
export function Output(options?: FieldDecoratorOptions): PropertyDecorator {
  return fieldDecorator('output', options);
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
    const ctor = prototype.constructor;
    const own: RecordedMember[] = Reflect.hasOwnMetadata(MEMBERS_KEY, ctor)
      ? Reflect.getOwnMetadata(MEMBERS_KEY, ctor)
      : [];
    own.push({ property, options, designType: Reflect.getMetadata('design:type', prototype, property) });
    Reflect.defineMetadata(MEMBERS_KEY, own, ctor);
  };
}
