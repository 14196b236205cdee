import { SigilError, type SigilErrorOptions } from '../errors/sigil-error';

/**
 * Something a module needs is not set up (code `NO_LM` when no LM is configured), or a module was built
 * wrongly (code `MODULE_DEFINITION`: a ReAct tool named `finish`, two tools with one name …).
 */
export class ConfigurationError extends SigilError {
  static override readonly code: string = 'CONFIGURATION';
}

/** The inputs given to a module do not fit its signature. Code `MODULE_INPUT`. */
export class ModuleInputError extends SigilError {
  static override readonly code: string = 'MODULE_INPUT';
  readonly signatureName: string;
  /** The input fields at fault (missing, or of the wrong type). */
  readonly fields: readonly string[];

  constructor(
    message: string,
    details: SigilErrorOptions & { signature: string; fields?: readonly string[] },
  ) {
    super(message, details);
    this.signatureName = details.signature;
    this.fields = details.fields ?? [];
  }
}

/**
 * Parsed outputs broke a class-validator constraint of the signature, after the retries were spent.
 * Code `OUTPUT_INVALID`.
 */
export class OutputValidationError extends SigilError {
  static override readonly code: string = 'OUTPUT_INVALID';
  readonly signatureName: string;
  readonly problems: readonly string[];
  readonly completion: string;

  constructor(
    message: string,
    details: SigilErrorOptions & { signature: string; problems: readonly string[]; completion: string },
  ) {
    super(message, details);
    this.signatureName = details.signature;
    this.problems = details.problems;
    this.completion = details.completion;
  }
}

/**
 * A module that runs another several times gave up: every attempt of a BestOfN/Refine failed, or Parallel saw
 * more failures than its `maxErrors`. `errors` holds each failure; `cause` the last one. Code `MODULE_RUN_FAILED`.
 */
export class ModuleRunError extends SigilError {
  static override readonly code: string = 'MODULE_RUN_FAILED';
  readonly errors: readonly unknown[];

  constructor(message: string, details: SigilErrorOptions & { errors: readonly unknown[] }) {
    super(message, { cause: details.errors[details.errors.length - 1], ...details });
    this.errors = details.errors;
  }
}

/**
 * A tool was called with arguments it cannot take, or a tool that does not exist was asked for. ReAct turns
 * it into an observation the model sees. Code `TOOL_CALL`.
 */
export class ToolCallError extends SigilError {
  static override readonly code: string = 'TOOL_CALL';
  /** The tool's name as the model wrote it. */
  readonly tool: string;

  constructor(message: string, details: SigilErrorOptions & { tool: string }) {
    super(message, details);
    this.tool = details.tool;
  }
}
