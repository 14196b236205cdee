import { ExampleError } from './errors';

/** Field names an Example cannot carry, because they are its methods. */
const RESERVED_EXAMPLE_KEYS: ReadonlySet<string> = new Set([
  'inputs',
  'labels',
  'withInputs',
  'with',
  'without',
  'get',
  'keys',
  'toJSON',
  'inputKeys',
]);

/** The methods every Example has, over its fields `T` with input keys `K`. */
export interface ExampleMethods<T extends object, K extends keyof T & string> {
  /** The field names marked as inputs by `withInputs`. */
  readonly inputKeys: readonly K[];
  /** A new Example with `keys` marked as the inputs (the rest are labels). */
  withInputs<I extends keyof T & string>(...keys: I[]): Example<T, I>;
  /** Only the input fields; throws `ExampleError` when no inputs were marked. */
  inputs(): Example<InputFields<T, K>, K & keyof InputFields<T, K> & string>;
  /** Only the label (non-input) fields; throws `ExampleError` when no inputs were marked. */
  labels(): Example<LabelFields<T, K>>;
  /** A copy with some fields added or replaced; the input keys are kept. */
  with<P extends object>(fields: P): Example<Omit<T, keyof P> & P, K & keyof (Omit<T, keyof P> & P) & string>;
  /** A copy without the given fields (they are also dropped from the input keys). */
  without<D extends keyof T & string>(
    ...keys: D[]
  ): Example<Omit<T, D>, Exclude<K, D> & keyof Omit<T, D> & string>;
  /** The value of a field, or `fallback` when it is absent. */
  get<F extends keyof T & string>(key: F): T[F];
  /** The value of any key, or `fallback` when it is absent. */
  get<V = unknown>(key: string, fallback?: V): V;
  /** The field names, in insertion order. */
  keys(): (keyof T & string)[];
  /** The fields as a plain object (what `JSON.stringify` writes). */
  toJSON(): T;
}

// When the input keys are unknown (none marked yet, or `any`), every field may be on either side.
type InputsUnknown<K> = 0 extends 1 & K ? true : [K] extends [never] ? true : false;
type InputFields<T, K extends keyof T> = InputsUnknown<K> extends true ? Partial<T> : Pick<T, K>;
type LabelFields<T, K extends keyof T> = InputsUnknown<K> extends true ? Partial<T> : Omit<T, K>;

/**
 * One data point, as DSPy's `dspy.Example`: fields are own enumerable (read-only) properties, some of
 * them marked as inputs. Immutable — every update returns a new Example. `K` (the input keys) is `any`
 * until `withInputs` names them, so a plain `Example` accepts every example.
 * @example
 * const ex = Example.from({ question: 'Who wrote Dune?', answer: 'Frank Herbert' }).withInputs('question');
 * ex.question; ex.inputs().toJSON(); // { question: 'Who wrote Dune?' }
 */
export type Example<
  T extends object = Record<string, any>,
  K extends keyof T & string = any,
> = ExampleMethods<T, K> & Readonly<T>;

/** The `Example` class: `new Example(fields)` or `Example.from(fields)`, both typed by the fields. */
export interface ExampleConstructor {
  new <T extends object>(fields: T): Example<T>;
  new <T extends object, K extends keyof T & string>(fields: T, inputKeys: readonly K[]): Example<T, K>;
  /** Builds an Example from a plain object (or copies another Example, keeping its input keys). */
  from<T extends object>(fields: T): Example<PlainFields<T>>;
  /** True for Example instances. */
  isExample(value: unknown): value is Example;
  readonly prototype: ExampleMethods<any, any>;
}

/** The fields of `T` when `T` is itself an Example; `T` otherwise. */
type PlainFields<T> = T extends ExampleMethods<infer F, any> ? F : T;

class ExampleImplementation {
  declare readonly inputKeys: readonly string[];

  constructor(fields: object, inputKeys: readonly string[] = []) {
    if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
      throw new ExampleError(
        `An Example is built from a plain object of fields, got ${describeValue(fields)} — pass { field: value, … }.`,
      );
    }
    const source = fields instanceof ExampleImplementation ? fields.toJSON() : fields;
    for (const key of Object.keys(source)) {
      if (RESERVED_EXAMPLE_KEYS.has(key)) {
        throw new ExampleError(
          `An Example field cannot be named "${key}": that is an Example method — rename the field (e.g. with loadDataset's map option).`,
        );
      }
      // defineProperty, not assignment: a "__proto__" key from JSON.parse must stay a plain field.
      Object.defineProperty(this, key, {
        value: (source as Record<string, unknown>)[key],
        enumerable: true,
        writable: false,
        configurable: false,
      });
    }
    for (const key of inputKeys) {
      if (!Object.prototype.hasOwnProperty.call(source, key)) {
        throw new ExampleError(
          `Cannot mark "${key}" as an input: the Example has no such field (fields: ${formatKeys(Object.keys(source))}).`,
        );
      }
    }
    Object.defineProperty(this, 'inputKeys', {
      value: Object.freeze([...new Set(inputKeys)]),
      enumerable: false,
    });
    Object.freeze(this);
  }

  static from(fields: object): ExampleImplementation {
    if (fields instanceof ExampleImplementation) return new ExampleImplementation(fields, fields.inputKeys);
    return new ExampleImplementation(fields);
  }

  static isExample(value: unknown): boolean {
    return value instanceof ExampleImplementation;
  }

  withInputs(...keys: string[]): ExampleImplementation {
    return new ExampleImplementation(this, keys);
  }

  inputs(): ExampleImplementation {
    requireInputs(this, 'inputs');
    return new ExampleImplementation(
      pickFields(this, (key) => this.inputKeys.includes(key)),
      this.inputKeys,
    );
  }

  labels(): ExampleImplementation {
    requireInputs(this, 'labels');
    return new ExampleImplementation(pickFields(this, (key) => !this.inputKeys.includes(key)));
  }

  with(fields: object): ExampleImplementation {
    return new ExampleImplementation({ ...this.toJSON(), ...fields }, this.inputKeys);
  }

  without(...keys: string[]): ExampleImplementation {
    const dropped = new Set(keys);
    return new ExampleImplementation(
      pickFields(this, (key) => !dropped.has(key)),
      this.inputKeys.filter((key) => !dropped.has(key)),
    );
  }

  /** The value of a field, or `fallback` when the example has none. */
  get(key: string, fallback?: unknown): unknown {
    return Object.prototype.hasOwnProperty.call(this, key)
      ? (this as Record<string, unknown>)[key]
      : fallback;
  }

  keys(): string[] {
    return Object.keys(this);
  }

  toJSON(): Record<string, unknown> {
    return pickFields(this, () => true);
  }
}

/** The `Example` class (see the `Example` type). */
export const Example = ExampleImplementation as unknown as ExampleConstructor;

function formatKeys(keys: readonly string[]): string {
  return keys.length === 0 ? 'none' : keys.join(', ');
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

// Helpers are functions, not methods: a field may be named like any non-reserved method and would shadow it.
function pickFields(example: object, keep: (key: string) => boolean): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(example)) {
    if (keep(key)) {
      Object.defineProperty(fields, key, {
        value: (example as Record<string, unknown>)[key],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return fields;
}

function requireInputs(example: ExampleImplementation, method: string): void {
  if (example.inputKeys.length === 0) {
    throw new ExampleError(
      `Example.${method}() needs input keys, but none were marked (fields: ${formatKeys(Object.keys(example))}) — call .withInputs('question', …) first.`,
    );
  }
}
