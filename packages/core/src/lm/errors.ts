/**
 * Typed failures of the LM layer. Every error names the model and endpoint, carries the HTTP status and
 * the provider's own message when there is one, and says what to do next. None ever holds an API key.
 */

/** Where a failure happened and what the provider said; the fields every {@link LMError} carries. */
export interface LMErrorDetails {
  /** The model name as sent to the endpoint. */
  model: string;
  /** The endpoint's base URL (never with credentials). */
  endpoint: string;
  /** HTTP status, when the endpoint answered. */
  status?: number;
  /** The provider's error message, with anything that looks like a key redacted. */
  providerMessage?: string;
  /** The provider's error code (`context_length_exceeded`, `insufficient_quota` …), when given. */
  code?: string;
  /** How many attempts were made before giving up. */
  attempts?: number;
  /** Delay the server asked for (Retry-After), in milliseconds. */
  retryAfterMs?: number;
}

/**
 * Base class of every LM failure. `retryable` says whether trying again could help.
 * @example `catch (e) { if (e instanceof LMError && !e.retryable) throw e; }`
 */
export class LMError extends Error {
  readonly model: string;
  readonly endpoint: string;
  readonly status?: number;
  readonly providerMessage?: string;
  readonly code?: string;
  readonly retryAfterMs?: number;
  /** Attempts made, including the first; set when the retry loop gives up. */
  attempts: number;
  readonly retryable: boolean = false;

  constructor(message: string, details: LMErrorDetails) {
    super(message);
    this.name = new.target.name;
    this.model = details.model;
    this.endpoint = details.endpoint;
    this.status = details.status;
    this.providerMessage = details.providerMessage;
    this.code = details.code;
    this.retryAfterMs = details.retryAfterMs;
    this.attempts = details.attempts ?? 1;
  }
}

/** 401/403: the key is missing, wrong, or lacks access. Not retried. */
export class LMAuthenticationError extends LMError {}

/** 400/422: the endpoint rejected the request as malformed. Not retried. */
export class LMBadRequestError extends LMError {}

/** 404: the model or route does not exist at this endpoint. Not retried. */
export class LMNotFoundError extends LMError {}

/** The prompt plus requested output exceed the model's context window. Not retried. */
export class ContextWindowExceededError extends LMBadRequestError {}

/** 429: rate limited (retried), or out of quota (`insufficient_quota`, not retried). */
export class LMRateLimitError extends LMError {
  override readonly retryable: boolean;
  constructor(message: string, details: LMErrorDetails) {
    super(message, details);
    this.retryable = details.code !== 'insufficient_quota';
  }
}

/** 408/409/5xx: the endpoint failed; retried. */
export class LMServerError extends LMError {
  override readonly retryable = true;
}

/** No complete answer within the call's `timeoutMs`; retried. */
export class LMTimeoutError extends LMError {
  override readonly retryable = true;
}

/** The connection failed or was reset before an answer arrived; retried. */
export class LMConnectionError extends LMError {
  override readonly retryable = true;
}

/** The caller's AbortSignal fired. Not retried. */
export class LMAbortedError extends LMError {}

/** The LM was set up in a way that cannot work (e.g. a provider prefix with no proxy to route it). */
export class LMConfigurationError extends LMError {}

/** Replay mode found no cached answer for a request, so it refused to reach the network. */
export class CacheMissError extends LMError {
  /** sha256 of the request's canonical form: the cache file is named after it. */
  readonly digest: string;
  constructor(message: string, details: LMErrorDetails & { digest: string }) {
    super(message, details);
    this.digest = details.digest;
  }
}
