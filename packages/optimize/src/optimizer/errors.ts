import { SigilError, type SigilErrorOptions } from '@sigil/core';

/**
 * The optimizer's budget (`maxCalls` / `maxCost`) ran out. Thrown by `compile` only when not even the
 * baseline could be measured; otherwise the optimizer stops cleanly and returns the best program so far
 * (`report.stoppedBy === 'budget'`). Code `BUDGET_EXCEEDED`.
 */
export class BudgetExceededError extends SigilError {
  static override readonly code: string = 'BUDGET_EXCEEDED';
}

/**
 * A journal file cannot be used. Codes: `JOURNAL_MISMATCH` (it belongs to another run; `differences` names
 * what changed), `JOURNAL_EXISTS` (a journal is there and neither resume nor fresh was asked for),
 * `JOURNAL_NOT_A_JOURNAL` (the file is something else), `JOURNAL_DAMAGED` (a line in the middle is broken).
 */
export class JournalError extends SigilError {
  static override readonly code: string = 'JOURNAL';
  readonly file: string;
  /** For `JOURNAL_MISMATCH`: what differs between the journal's run and this one (`metric`, `trainset` …). */
  readonly differences: readonly string[];

  constructor(
    message: string,
    details: SigilErrorOptions & { file: string; differences?: readonly string[] },
  ) {
    super(message, details);
    this.file = details.file;
    this.differences = details.differences ?? [];
  }
}

/** An optimizer was given options or data it cannot work with. Code `OPTIMIZER_INPUT`. */
export class OptimizerError extends SigilError {
  static override readonly code: string = 'OPTIMIZER_INPUT';
}
