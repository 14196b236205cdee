/**
 * The one error family of Sigil. Every error any Sigil package throws extends `SigilError`, carries a
 * stable `code` (see docs/errors.md), `cause` where there is one and `retryable` where it applies.
 *
 * `instanceof` fails when two copies of a package are installed (a CLI and a project each bringing their
 * own `@sigil/core`), so every instance also carries a `Symbol.for` marker listing its class chain, and
 * each class has a static `isInstance()` that works across copies.
 */

const MARKER = Symbol.for('sigil.error');

/** What every Sigil error constructor takes after its message. */
export interface SigilErrorOptions {
  /** Overrides the class's default code with a finer one (each class lists the codes it uses). */
  code?: string;
  /** The error that led to this one. */
  cause?: unknown;
  /** Whether trying the same thing again could succeed (default: the class's own answer, else false). */
  retryable?: boolean;
}

/**
 * The base of every Sigil error.
 * @example catch (e) { if (SigilError.isInstance(e) && e.code === 'LM_RATE_LIMITED') … }
 */
export class SigilError extends Error {
  /** The default code of errors of this class; subclasses set their own. */
  static readonly code: string = 'SIGIL_ERROR';
  /** A stable, documented identifier of what went wrong (`SIGNATURE_INVALID`, `LM_TIMEOUT`, …). */
  readonly code: string;
  /** Whether the same call could succeed if tried again. */
  readonly retryable: boolean;
  declare readonly [MARKER]: readonly string[];

  constructor(message: string, options: SigilErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const ctor = new.target as typeof SigilError;
    this.name = ctor.name;
    this.code = options.code ?? ctor.code;
    this.retryable = options.retryable ?? false;
    const chain: string[] = [];
    for (let c: Function = ctor; c && c !== Error; c = Object.getPrototypeOf(c)) chain.push(c.name);
    Object.defineProperty(this, MARKER, { value: Object.freeze(chain), enumerable: false });
  }

  /**
   * True when `value` is an error of this class (or a subclass), even one thrown by another installed
   * copy of the package, where `instanceof` is false.
   * @example if (LMError.isInstance(error) && error.retryable) retry();
   */
  static isInstance<T extends typeof SigilError>(this: T, value: unknown): value is InstanceType<T> {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    const chain = (value as { [MARKER]?: unknown } | null | undefined)?.[MARKER];
    return Array.isArray(chain) && chain.includes(this.name);
  }

  /** Makes `instanceof` itself work across duplicate package copies (frameworks such as Nest rely on it). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return this.isInstance(value);
  }

  /** A plain object for logs and HTTP bodies: name, code, message, retryable and the class's own fields. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, code: this.code, message: this.message };
    if (this.retryable) out.retryable = true;
    for (const [key, value] of Object.entries(this)) {
      if (key === 'code' || key === 'retryable' || value === undefined || typeof value === 'function')
        continue;
      out[key] = value;
    }
    return out;
  }
}

/**
 * An option or argument of a public API has a value it cannot take (a negative count, a non-function
 * callback, an empty list of choices). Names the option, what it got and what it accepts.
 */
export class InvalidOptionError extends SigilError {
  static override readonly code: string = 'INVALID_OPTION';
  /** The option at fault, as the user wrote it (`maxIters`, `@Param().choices`). */
  readonly option?: string;

  constructor(message: string, options: SigilErrorOptions & { option?: string } = {}) {
    super(message, options);
    this.option = options.option;
  }
}
