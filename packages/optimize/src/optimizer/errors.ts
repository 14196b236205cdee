/**
 * The optimizer's budget (`maxCalls` / `maxCost`) ran out. Thrown by `compile` only when not even the
 * baseline could be measured; otherwise the optimizer stops cleanly and returns the best program so far
 * (`report.stoppedBy === 'budget'`).
 */
export class BudgetExceededError extends Error {
  override readonly name = 'BudgetExceededError';
}

/** A journal file cannot be used: it belongs to another run, or it is not a Sigil optimizer journal. */
export class JournalError extends Error {
  override readonly name = 'JournalError';
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
  }
}

/** An optimizer was given options or data it cannot work with. */
export class OptimizerError extends Error {
  override readonly name = 'OptimizerError';
}
