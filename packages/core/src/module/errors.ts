/** Something a module needs is not set up: no LM configured, a missing input. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/** The inputs given to a module do not fit its signature. */
export class ModuleInputError extends Error {
  override readonly name = 'ModuleInputError';
  constructor(
    message: string,
    readonly signatureName: string,
    readonly fields: readonly string[],
  ) {
    super(message);
  }
}

/** Parsed outputs broke a class-validator constraint of the signature, after the retries were spent. */
export class OutputValidationError extends Error {
  override readonly name = 'OutputValidationError';
  constructor(
    message: string,
    readonly signatureName: string,
    readonly problems: readonly string[],
    readonly completion: string,
  ) {
    super(message);
  }
}

/**
 * A module that runs another several times gave up: every attempt of a BestOfN/Refine failed, or Parallel saw
 * more failures than its `maxErrors`. `errors` holds each failure; `cause` the last one.
 */
export class ModuleRunError extends Error {
  override readonly name = 'ModuleRunError';
  constructor(
    message: string,
    readonly errors: readonly unknown[],
  ) {
    super(message, { cause: errors[errors.length - 1] });
  }
}
