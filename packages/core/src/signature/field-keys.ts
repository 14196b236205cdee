/**
 * Type-level reading of a signature class: which of its properties are inputs and which outputs.
 * Decorators cannot change a class's type, so the split is written in the class itself: inputs are
 * `readonly` (given to the model), outputs are not (produced by it). A class without any `readonly` field
 * is read loosely (every field may be passed, every field is returned), as before inputs were marked.
 */

type IfEquals<X, Y, A, B> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? A : B;

/** The data properties of a class instance type (methods dropped). */
export type FieldsOf<S> = { [K in keyof S as S[K] extends (...args: any[]) => any ? never : K]: S[K] };

/** The `readonly` data properties of `S`: a signature class's inputs. */
export type ReadonlyKeys<S> = {
  [K in keyof S]-?: IfEquals<{ [Q in K]: S[K] }, { -readonly [Q in K]: S[K] }, never, K>;
}[keyof S];

/** True when the class marks its inputs `readonly` (so inputs and outputs can be told apart). */
export type MarksInputs<S> = [ReadonlyKeys<FieldsOf<S>>] extends [never] ? false : true;

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** The inputs of a signature class instance type: its `readonly` fields, required ones required. */
export type ClassInputs<S> =
  MarksInputs<S> extends true ? Writable<Pick<FieldsOf<S>, ReadonlyKeys<FieldsOf<S>>>> : Partial<FieldsOf<S>>;

/** The outputs of a signature class instance type: its fields that are not `readonly`. */
export type ClassOutputs<S> =
  MarksInputs<S> extends true ? Omit<FieldsOf<S>, ReadonlyKeys<FieldsOf<S>>> : FieldsOf<S>;

/**
 * What `@Input()` accepts as its property: any field of a class that marks no input, else only a `readonly`
 * one. The string type in the `never` branch is what the compiler shows when the rule is broken.
 */
export type InputKeyCheck<T, K extends string> =
  MarksInputs<T> extends true
    ? K extends ReadonlyKeys<FieldsOf<T>>
      ? K
      : `@Input() field "${K}" must be declared readonly, as this class's other inputs are`
    : K;

/** What `@Output()` accepts as its property: a field that is not `readonly` (readonly marks inputs). */
export type OutputKeyCheck<T, K extends string> =
  K extends ReadonlyKeys<FieldsOf<T>>
    ? `@Output() field "${K}" must not be readonly: readonly marks inputs`
    : K;
