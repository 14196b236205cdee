/**
 * The contract of learnable state. A program's learnable parts are found by one walk of its declared
 * modules (module/parameters.ts) and handed out as parameter handles; saving, loading, every optimizer, the
 * journal, the CLI and NestJS read and write learnable state only through them.
 *
 * A handle knows where its value lives in DSPy's saved-program JSON (`predictor` + `slot`), and how to
 * turn a value into that JSON and back (`encode` / `decode`), so persistence needs nothing but handles.
 */

/** The kinds of learnable state Sigil knows; other packages may add their own. */
export type ParameterKind = 'instructions' | 'fields' | 'demos' | 'lm' | 'param' | (string & {});

/**
 * One learnable (or, for `lm`, bound) part of a program.
 * @example for (const p of program.parameters()) if (p.kind === 'instructions') console.log(p.path, p.get());
 */
export interface ParameterHandle<T = unknown> {
  /** Unique within a program: `${path}:${kind}`. */
  readonly key: string;
  /** The predictor path (`respond.predict`, `self` for a lone Predict) or the `@Param` path (`retrieve.k`). */
  readonly path: string;
  readonly kind: ParameterKind;
  /** False for state that is bound rather than learned (a predictor's own LM): optimizers leave it alone. */
  readonly learnable: boolean;
  /** The finite values the parameter may take, where there are such (a `@Param`'s `choices`). */
  readonly choices?: readonly T[];
  /** What the parameter means (a `@Param`'s `desc`). */
  readonly desc?: string;
  /** For a predictor's state: the predictor path whose saved entry holds it. */
  readonly predictor?: string;
  /** Where the JSON lives: keys under the predictor's entry, or under the saved program's root. */
  readonly slot: readonly string[];
  /** The current value. */
  get(): T;
  /** Sets the value (checked first: a value it cannot take throws `ProgramStateError` and changes nothing). */
  set(value: T): void;
  /** Restores the value the program started with. */
  reset(): void;
  /** The JSON form of a value (the current one by default), as it is written in a saved program. */
  encode(value?: T): unknown;
  /** A value from its JSON form, checked; throws `ProgramStateError` (without file) when it does not fit. */
  decode(json: unknown): T;
}
