import { SigilError, type SigilErrorOptions } from '@sigil/core';

/**
 * A fine-tuning job did not give a model. Codes: `FINETUNE_JOB_FAILED` (the provider failed it; `reason`
 * holds its error), `FINETUNE_JOB_CANCELLED`, `FINETUNE_NO_DATA` (no teacher run passed the metric, so
 * there is nothing to train on), `FINETUNE_UNSUPPORTED` (the adapter cannot write training data, or the
 * LM cannot be bound to a fine-tuned model). `jobId` names the provider's job when there is one.
 */
export class FinetuneError extends SigilError {
  static override readonly code: string = 'FINETUNE';
  /** The provider's job id (`ftjob-…`), when a job was started. */
  readonly jobId?: string;
  /** The predictor paths the job was training. */
  readonly predictors: readonly string[];
  /** The provider's own error, for a failed job: `{ code, message }`. */
  readonly reason?: { readonly code?: string | null; readonly message?: string | null };

  constructor(
    message: string,
    options: SigilErrorOptions & {
      jobId?: string;
      predictors?: readonly string[];
      reason?: { code?: string | null; message?: string | null };
    } = {},
  ) {
    super(message, options);
    this.jobId = options.jobId;
    this.predictors = options.predictors ?? [];
    this.reason = options.reason;
  }
}
