import { type Constraint, validateFields } from './constraints';
import { SignatureError } from './errors';
import {
  type DefaultValue,
  type FieldType,
  holdsImage,
  isHistoryType,
  type TypeInput,
  resolveType,
  STRING,
} from './field-type';
import { cleanInstructions } from './instructions-text';

/** Whether a field is an input or an output of its signature. */
export type FieldIO = 'input' | 'output';

/** One field of a signature, resolved and frozen. */
export interface FieldSpec {
  readonly name: string;
  readonly io: FieldIO;
  readonly type: FieldType;
  /** The user's description; `undefined` when none was given (DSPy's `${name}` placeholder). */
  readonly desc?: string;
  /** DSPy's field prefix (`Question:`); kept in saved programs, not used in ChatAdapter prompts. */
  readonly prefix: string;
  readonly constraints: readonly Constraint[];
  /**
   * The field's default, when it has one: a missing output takes it when a reply is parsed (as DSPy's
   * `apply_output_field_defaults`), a missing input takes it when a module is called.
   */
  readonly defaultValue?: DefaultValue;
}

/** Options of a field added to a derived signature. */
export interface FieldOptions {
  io: FieldIO;
  type?: TypeInput;
  desc?: string;
  prefix?: string;
}

/** Names a field may not take: they collide with the ChatAdapter's marker or with Example/Prediction members. */
export const RESERVED_FIELD_NAMES: ReadonlySet<string> = new Set([
  'completed',
  'constructor',
  'prototype',
  '__proto__',
  'toJSON',
  'toString',
  'valueOf',
  'inputs',
  'labels',
  'withInputs',
  'with',
  'without',
  'get',
  'keys',
  'inputKeys',
  'usage',
  'cost',
  'trace',
  'completions',
  'getLmUsage',
]);

// A Python identifier (DSPy's field names are): ID_Start or `_`, then ID_Continue characters.
const FIELD_NAME = /^[\p{ID_Start}_][\p{ID_Continue}]*$/u;
/** Marks a construction that keeps instructions exactly as given (`''` included), as loading state does. */
const EXACT = Symbol('exact instructions');
let nextId = 1;

/**
 * The resolved description of a signature: ordered fields (inputs first), instructions and types.
 * Immutable; derived signatures are new objects. `I` and `O` type the inputs and outputs at call sites.
 */
export class SignatureSpec<I = Record<string, any>, O = Record<string, any>> {
  /** Unique per instance, so adapters can cache work per signature. */
  readonly id = nextId++;
  readonly inputFields: readonly FieldSpec[];
  readonly outputFields: readonly FieldSpec[];
  readonly fields: readonly FieldSpec[];
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** True when the original class declares class-validator constraints that parsing must enforce. */
  readonly validates: boolean;
  declare readonly __types?: { inputs: I; outputs: O };

  constructor(
    readonly name: string,
    fields: readonly FieldSpec[],
    instructions: string | undefined,
    /** The decorated class this signature came from, if any (used for class-validator checks). */
    readonly target?: Function,
    validates = false,
    exact?: typeof EXACT,
  ) {
    this.inputFields = Object.freeze(fields.filter((f) => f.io === 'input'));
    this.outputFields = Object.freeze(fields.filter((f) => f.io === 'output'));
    this.fields = Object.freeze([...this.inputFields, ...this.outputFields]);
    this.inputNames = Object.freeze(this.inputFields.map((f) => f.name));
    this.outputNames = Object.freeze(this.outputFields.map((f) => f.name));
    this.validates = validates && target !== undefined;
    // A derived signature may lack outputs: native function calling formats one whose only output was ToolCalls.
    checkFields(name, this.fields, exact !== EXACT);
    // pydantic sets a class's docstring only when it is truthy, so DSPy gives `""` its default instructions;
    // whitespace is kept (and cleans to an empty objective). Setting `""` later (loaded state) keeps it.
    const given = exact === EXACT ? instructions : instructions || undefined;
    this.instructions = cleanInstructions(given ?? defaultInstructions(this.inputNames, this.outputNames));
    Object.freeze(this);
  }

  /** The instructions as DSPy holds them: `inspect.cleandoc`-ed (indentation and blank end lines removed). */
  readonly instructions: string;

  /** The field of that name, input or output; undefined when there is none. */
  field(name: string): FieldSpec | undefined {
    return this.fields.find((f) => f.name === name);
  }

  /** The same signature with other instructions. */
  withInstructions(instructions: string): SignatureSpec<I, O> {
    return new SignatureSpec(this.name, this.fields, instructions, this.target, this.validates, EXACT);
  }

  /** A new signature with a field placed first among the inputs or outputs (ChainOfThought prepends `reasoning`). */
  prepend<N extends string, T = string>(
    name: N,
    options: FieldOptions,
  ): Derived<I, O, N, T, typeof options.io> {
    return this.insert(name, options, 'start') as any;
  }

  /** A new signature with a field placed last among the inputs or outputs. */
  append<N extends string, T = string>(
    name: N,
    options: FieldOptions,
  ): Derived<I, O, N, T, typeof options.io> {
    return this.insert(name, options, 'end') as any;
  }

  /** A new signature with a field's description or prefix replaced. */
  withField(name: string, update: { desc?: string; prefix?: string }): SignatureSpec<I, O> {
    if (!this.field(name)) {
      throw new SignatureError(`Signature "${this.name}" has no field "${name}" to update.`, {
        signature: this.name,
        field: name,
      });
    }
    const fields = this.fields.map((f) =>
      f.name === name
        ? Object.freeze({ ...f, desc: update.desc ?? f.desc, prefix: update.prefix ?? f.prefix })
        : f,
    );
    return new SignatureSpec(this.name, fields, this.instructions, this.target, this.validates, EXACT);
  }

  /** A new signature without the named field. */
  delete(name: string): SignatureSpec<any, any> {
    return new SignatureSpec(
      this.name,
      this.fields.filter((f) => f.name !== name),
      this.instructions,
      this.target,
      this.validates,
      EXACT,
    );
  }

  /** Problems class-validator finds in parsed output values (empty when valid or when nothing is declared). */
  validateOutputs(values: Record<string, unknown>): string[] {
    if (!this.validates || !this.target) return [];
    return validateFields(
      this.target,
      values,
      this.outputFields.filter((f) => f.name in values),
    );
  }

  private insert(name: string, options: FieldOptions, where: 'start' | 'end'): SignatureSpec<any, any> {
    const type =
      options.type === undefined ? STRING : resolveType(options.type, typeContext(this.name, name));
    const field: FieldSpec = Object.freeze({
      name,
      io: options.io,
      type,
      desc: options.desc,
      prefix: options.prefix ?? inferPrefix(name),
      constraints: Object.freeze([]),
    });
    const group = options.io === 'input' ? this.inputFields : this.outputFields;
    const grouped = where === 'start' ? [field, ...group] : [...group, field];
    const fields =
      options.io === 'input' ? [...grouped, ...this.outputFields] : [...this.inputFields, ...grouped];
    return new SignatureSpec(this.name, fields, this.instructions, this.target, this.validates, EXACT);
  }
}

type Derived<I, O, N extends string, T, IO> = IO extends 'input'
  ? SignatureSpec<I & { [K in N]: T }, O>
  : SignatureSpec<I, { [K in N]: T } & O>;

/** DSPy's default instructions: ``Given the fields `a`, `b`, produce the fields `c`.`` */
export function defaultInstructions(inputs: readonly string[], outputs: readonly string[]): string {
  const list = (names: readonly string[]) => names.map((n) => `\`${n}\``).join(', ');
  return `Given the fields ${list(inputs)}, produce the fields ${list(outputs)}.`;
}

/** DSPy's default prefix of a field: `question` → `Question:`, `someField`/`some_field` → `Some Field:`. */
export function inferPrefix(name: string): string {
  const spaced = name
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([a-zA-Z])(\d)/g, '$1_$2')
    .replace(/(\d)([a-zA-Z])/g, '$1_$2');
  // Empty words are kept, as DSPy's `infer_prefix` keeps them (`_id` → ` Id:`).
  const titled = spaced
    .split('_')
    .map((w) => (w === w.toUpperCase() ? w : w[0].toUpperCase() + w.slice(1).toLowerCase()));
  return `${titled.join(' ')}:`;
}

export function typeContext(signature: string, field: string) {
  return {
    signature,
    field,
    describeClass: (cls: Function) => {
      // Imported lazily: the class reader depends on this module.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { describeClass } = require('./nested-class') as typeof import('./nested-class');
      return describeClass(cls, signature, field);
    },
  };
}

function checkFields(signature: string, fields: readonly FieldSpec[], requireOutput: boolean): void {
  const seen = new Map<string, FieldIO>();
  for (const f of fields) {
    if (!FIELD_NAME.test(f.name)) {
      throw new SignatureError(
        `Signature "${signature}": field name "${f.name}" is not a valid identifier — use letters, digits and _ (in any script).`,
        { signature, field: f.name },
      );
    }
    if (RESERVED_FIELD_NAMES.has(f.name)) {
      throw new SignatureError(
        `Signature "${signature}": field name "${f.name}" is reserved — rename the field.`,
        { signature, field: f.name },
      );
    }
    if (f.io === 'output' && (isHistoryType(f.type) || holdsImage(f.type))) {
      throw new SignatureError(
        `Signature "${signature}": output field "${f.name}" has type ${isHistoryType(f.type) ? 'History' : 'Image'}, ` +
          'which Sigil supports for inputs only — make it an @Input(), or give the output another type.',
        { signature, field: f.name },
      );
    }
    const before = seen.get(f.name);
    if (before) {
      throw new SignatureError(
        before === f.io
          ? `Signature "${signature}": ${f.io} field "${f.name}" is declared twice — remove one of them.`
          : `Signature "${signature}": output field "${f.name}" is also declared as an input — rename one of them.`,
        { signature, field: f.name },
      );
    }
    seen.set(f.name, f.io);
  }
  if (requireOutput && !fields.some((f) => f.io === 'output')) {
    throw new SignatureError(
      `Signature "${signature}" has no output field — mark at least one field with @Output().`,
      { signature },
    );
  }
}
