import { SigilError, type SigilErrorOptions } from '../../errors/sigil-error';

/**
 * A provider batch (OpenAI's Batch API) did not give a request its answer. Codes: `LM_BATCH_FAILED` (the
 * batch failed, was cancelled, or could not be submitted), `LM_BATCH_EXPIRED` (not done within its
 * completion window), `LM_BATCH_REQUEST_FAILED` (the batch ran but this request got an error, in
 * `status`), `LM_BATCH_JOURNAL` (the journal file cannot be read).
 */
export class BatchError extends SigilError {
  static override readonly code: string = 'LM_BATCH_FAILED';
  /** The provider's batch id, when there is one. */
  readonly batchId?: string;
  /** The request's status inside the batch, when it failed there. */
  readonly status?: number;

  constructor(message: string, options: SigilErrorOptions & { batchId?: string; status?: number } = {}) {
    super(message, options);
    this.batchId = options.batchId;
    this.status = options.status;
  }
}
