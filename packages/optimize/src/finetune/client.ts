/**
 * The part of the `openai` SDK fine-tuning uses, as a structural type: an `OpenAI` client fits it, and so
 * does any OpenAI-compatible client (a LiteLLM proxy is reached through the same SDK with its base URL).
 */

/** Request options BootstrapFinetune passes (an idempotency key, so a retried create is not paid twice). */
export interface FinetuneRequestOptions {
  idempotencyKey?: string;
}

/** A fine-tuning job as the API returns it (the fields BootstrapFinetune reads). */
export interface FineTuningJobLike {
  id: string;
  status: string;
  fine_tuned_model?: string | null;
  error?: { code?: string | null; message?: string | null } | null;
  estimated_finish?: number | null;
}

/** A job event as the API lists it (newest first). */
export interface FineTuningEventLike {
  id: string;
  created_at: number;
  message: string;
  level?: string;
}

/** What BootstrapFinetune calls: `files.create`, `fineTuning.jobs.create | retrieve | listEvents`. */
export interface FineTuningClient {
  files: {
    /** Uploads a training file (`purpose: 'fine-tune'`). */
    create(
      body: { file: File; purpose: 'fine-tune' },
      options?: FinetuneRequestOptions,
    ): PromiseLike<{ id: string }>;
  };
  fineTuning: {
    jobs: {
      /** Starts a fine-tuning job on a base model and an uploaded file. */
      create(
        body: { model: string; training_file: string } & Record<string, unknown>,
        options?: FinetuneRequestOptions,
      ): PromiseLike<FineTuningJobLike>;
      /** Reads a job's status (polled until it ends). */
      retrieve(jobId: string): PromiseLike<FineTuningJobLike>;
      /** A job's events, newest first (its progress messages). */
      listEvents(
        jobId: string,
        query?: { limit?: number; after?: string },
      ): PromiseLike<{ data: FineTuningEventLike[] }>;
    };
  };
}
