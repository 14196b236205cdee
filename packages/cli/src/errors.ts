import { SigilError, type SigilErrorOptions } from '@sigil/core';

/**
 * Errors the CLI reports as one line (no stack trace unless `--verbose`): what is wrong, in which file,
 * export or option, and what to do. Code `CLI`.
 */
export class CliError extends SigilError {
  static override readonly code: string = 'CLI';
  /** The process exit code (1: the run failed, 2: the command line is wrong). */
  readonly exitCode: number;

  constructor(message: string, details: SigilErrorOptions & { exitCode?: number } = {}) {
    super(message, details);
    this.exitCode = details.exitCode ?? 1;
  }
}

/** A task file that cannot be used: missing, failing to load, or not exporting a task. Code `CLI_TASK_FILE`. */
export class TaskFileError extends CliError {
  static override readonly code: string = 'CLI_TASK_FILE';
  readonly file: string;

  constructor(message: string, details: SigilErrorOptions & { file: string }) {
    super(message, { ...details, exitCode: 1 });
    this.file = details.file;
  }
}

/** An option value or combination the command cannot use. Exit code 2. Code `CLI_OPTION`. */
export class OptionError extends CliError {
  static override readonly code: string = 'CLI_OPTION';

  constructor(message: string, details: SigilErrorOptions = {}) {
    super(message, { ...details, exitCode: 2 });
  }
}
