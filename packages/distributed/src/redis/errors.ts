import { SigilError, type SigilErrorOptions } from '@sigil/core';

/**
 * Redis cannot be reached: at start (nothing listens at the URL, wrong password) or lost during a run.
 * `url` is the address with any password replaced by `***`. Code `REDIS_UNAVAILABLE`.
 */
export class RedisUnavailableError extends SigilError {
  static override readonly code: string = 'REDIS_UNAVAILABLE';
  /** The Redis address, password redacted. */
  readonly url: string;

  constructor(message: string, options: SigilErrorOptions & { url: string }) {
    super(message, { retryable: true, ...options });
    this.url = options.url;
  }
}

/**
 * Distributed work failed: a worker refused a job made for another version of the task
 * (`DISTRIBUTED_TASK_MISMATCH`), or a job failed on a worker for good (`DISTRIBUTED_JOB_FAILED`).
 */
export class DistributedError extends SigilError {
  static override readonly code: string = 'DISTRIBUTED_JOB_FAILED';
}
