/**
 * Errors the CLI reports as one line (no stack trace unless `--verbose`): what is wrong, in which file,
 * export or option, and what to do.
 */
export class CliError extends Error {
  constructor(
    message: string,
    /** The process exit code (1: the run failed, 2: the command line is wrong). */
    readonly exitCode = 1,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'CliError';
  }
}

/** A task file that cannot be used: missing, failing to load, or not exporting a task. */
export class TaskFileError extends CliError {
  constructor(
    message: string,
    readonly file: string,
    cause?: unknown,
  ) {
    super(message, 1, cause);
    this.name = 'TaskFileError';
  }
}

/** An option value or combination the command cannot use. */
export class OptionError extends CliError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'OptionError';
  }
}
