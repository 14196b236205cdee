import { SigilError, type SigilErrorOptions } from '../errors/sigil-error';
import { redactSecrets, redactURL } from './secrets';

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
  providerCode?: string;
  /** How many attempts were made before giving up. */
  attempts?: number;
  /** Delay the server asked for (Retry-After), in milliseconds. */
  retryAfterMs?: number;
}

/**
 * Base class of every LM failure. `retryable` says whether trying again could help.
 * @example catch (e) { if (LMError.isInstance(e) && !e.retryable) throw e; }
 */
export class LMError extends SigilError {
  static override readonly code: string = 'LM_ERROR';
  readonly model: string;
  readonly endpoint: string;
  readonly status?: number;
  readonly providerMessage?: string;
  readonly providerCode?: string;
  readonly retryAfterMs?: number;
  /** Attempts made, including the first; set when the retry loop gives up. */
  attempts: number;

  constructor(message: string, details: LMErrorDetails & SigilErrorOptions) {
    // Redacted here, before the stack captures the message, whoever built it.
    super(redactSecrets(message), details);
    this.model = details.model;
    this.endpoint = typeof details.endpoint === 'string' ? redactURL(details.endpoint) : details.endpoint;
    this.status = details.status;
    this.providerMessage =
      details.providerMessage === undefined ? undefined : redactSecrets(details.providerMessage);
    this.providerCode = details.providerCode;
    this.retryAfterMs = details.retryAfterMs;
    this.attempts = details.attempts ?? 1;
  }
}

/** 401/403: the key is missing, wrong, or lacks access. Not retried. Code `LM_AUTHENTICATION`. */
export class LMAuthenticationError extends LMError {
  static override readonly code: string = 'LM_AUTHENTICATION';
}

/** 400/422: the endpoint rejected the request as malformed. Not retried. Code `LM_BAD_REQUEST`. */
export class LMBadRequestError extends LMError {
  static override readonly code: string = 'LM_BAD_REQUEST';
}

/** 404: the model or route does not exist at this endpoint. Not retried. Code `LM_NOT_FOUND`. */
export class LMNotFoundError extends LMError {
  static override readonly code: string = 'LM_NOT_FOUND';
}

/** The prompt plus requested output exceed the model's context window. Not retried. Code `LM_CONTEXT_WINDOW`. */
export class ContextWindowExceededError extends LMBadRequestError {
  static override readonly code: string = 'LM_CONTEXT_WINDOW';
}

/**
 * 429: rate limited (code `LM_RATE_LIMITED`, retried), or out of quota (provider code `insufficient_quota`,
 * code `LM_QUOTA_EXCEEDED`, not retried).
 */
export class LMRateLimitError extends LMError {
  static override readonly code: string = 'LM_RATE_LIMITED';
  constructor(message: string, details: LMErrorDetails & SigilErrorOptions) {
    const quota = details.providerCode === 'insufficient_quota';
    super(message, {
      ...details,
      code: details.code ?? (quota ? 'LM_QUOTA_EXCEEDED' : undefined),
      retryable: details.retryable ?? !quota,
    });
  }
}

/** 408/409/5xx: the endpoint failed; retried. Code `LM_SERVER_ERROR`. */
export class LMServerError extends LMError {
  static override readonly code: string = 'LM_SERVER_ERROR';
  constructor(message: string, details: LMErrorDetails & SigilErrorOptions) {
    super(message, { ...details, retryable: details.retryable ?? true });
  }
}

/** No complete answer within the call's `timeoutMs`; retried. Code `LM_TIMEOUT`. */
export class LMTimeoutError extends LMError {
  static override readonly code: string = 'LM_TIMEOUT';
  constructor(message: string, details: LMErrorDetails & SigilErrorOptions) {
    super(message, { ...details, retryable: details.retryable ?? true });
  }
}

/** The connection failed or was reset before an answer arrived; retried. Code `LM_CONNECTION`. */
export class LMConnectionError extends LMError {
  static override readonly code: string = 'LM_CONNECTION';
  constructor(message: string, details: LMErrorDetails & SigilErrorOptions) {
    super(message, { ...details, retryable: details.retryable ?? true });
  }
}

/** The caller's AbortSignal fired (or the LM was closed). Not retried. Code `LM_ABORTED`. */
export class LMAbortedError extends LMError {
  static override readonly code: string = 'LM_ABORTED';
}

/**
 * The LM was set up in a way that cannot work (e.g. a provider prefix with no proxy to route it).
 * Code `LM_CONFIGURATION`.
 */
export class LMConfigurationError extends LMError {
  static override readonly code: string = 'LM_CONFIGURATION';
}

/** Replay mode found no cached answer for a request, so it refused to reach the network. Code `LM_CACHE_MISS`. */
export class CacheMissError extends LMError {
  static override readonly code: string = 'LM_CACHE_MISS';
  /** sha256 of the request's canonical form: the cache file is named after it. */
  readonly digest: string;
  constructor(message: string, details: LMErrorDetails & SigilErrorOptions & { digest: string }) {
    super(message, details);
    this.digest = details.digest;
  }
}

/** What a {@link LMBadResponseError} adds: what the body looked like. */
export interface BadResponseDetails extends LMErrorDetails {
  /** The reply's content type, as sent. */
  contentType?: string;
  /** The first characters of the body (secrets redacted). */
  bodyStart: string;
}

/**
 * The endpoint answered with a success status but not with a chat completion: an error object in a 200,
 * `{}`, plain text, an HTML page, an event stream that was not asked for. Code `LM_BAD_RESPONSE`. Retried
 * when it looks transient (an error object, an empty body); not when the endpoint would answer the same
 * again (a web page or another service at `baseURL`).
 */
export class LMBadResponseError extends LMError {
  static override readonly code: string = 'LM_BAD_RESPONSE';
  /** The reply's content type, as sent. */
  readonly contentType?: string;
  /** The first characters of the body (secrets redacted). */
  readonly bodyStart: string;
  constructor(message: string, details: BadResponseDetails & SigilErrorOptions) {
    super(message, details);
    this.contentType = details.contentType;
    this.bodyStart = details.bodyStart;
  }
}

/**
 * The reply's body ended before it was complete (the connection closed mid-body, or the JSON stops
 * short); retried. Code `LM_TRUNCATED_RESPONSE`.
 */
export class LMTruncatedResponseError extends LMBadResponseError {
  static override readonly code: string = 'LM_TRUNCATED_RESPONSE';
  constructor(message: string, details: BadResponseDetails & SigilErrorOptions) {
    super(message, { ...details, retryable: details.retryable ?? true });
  }
}
