/**
 * Turns whatever the `openai` package (or the socket under it) threw into a typed {@link LMError} whose
 * message says what happened, for which model and endpoint, and what to do.
 */
import type { APIError } from 'openai';
import { redactSecrets } from './endpoint';
import { loadedOpenAIModule } from './openai-client';
import { parseRetryAfter } from './retry';
import {
  ContextWindowExceededError,
  LMBadResponseError,
  LMAbortedError,
  LMAuthenticationError,
  LMBadRequestError,
  LMConnectionError,
  LMError,
  type LMErrorDetails,
  LMNotFoundError,
  LMRateLimitError,
  LMServerError,
  LMTimeoutError,
} from './errors';

/** What the failing attempt was and why it may have stopped. */
export interface FailureContext {
  model: string;
  endpoint: string;
  apiKey: string | undefined;
  /** Sigil's own per-attempt timer fired. */
  timedOut: boolean;
  /** The caller's AbortSignal fired. */
  aborted: boolean;
  timeoutMs?: number;
}

const CONTEXT_WINDOW =
  /context[_ ]length|context[_ ]window|maximum context|prompt is too long|too many tokens/i;
// Node's codes for a certificate the client does not trust; the same every attempt.
const CERTIFICATE_CODES =
  /^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|ERR_TLS_CERT_ALTNAME_INVALID|CERT_UNTRUSTED|CERT_REJECTED)$/;
const CONNECTION_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

function providerMessageOf(error: APIError, apiKey: string | undefined): string {
  const body = error.error as { message?: unknown } | undefined;
  const raw = typeof body?.message === 'string' ? body.message : error.message;
  return redactSecrets(raw, apiKey);
}

function causeOf(error: unknown): string {
  const seen = new Set<unknown>();
  let current: unknown = error;
  const parts: string[] = [];
  while (isErrorLike(current) && !seen.has(current)) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    parts.push(typeof code === 'string' ? `${current.message} (${code})` : current.message);
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join(': ') || String(error);
}

/**
 * Error-shaped, whatever realm made it: socket and TLS errors come from Node's own realm, where a test
 * sandbox's (or another vm context's) `instanceof Error` is false.
 */
function isErrorLike(value: unknown): value is Error {
  return typeof value === 'object' && value !== null && typeof (value as Error).message === 'string';
}

/** The certificate error code anywhere in the cause chain, if the TLS handshake rejected the server. */
function certificateCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; isErrorLike(current) && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && CERTIFICATE_CODES.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Codes of a connection no server accepted: the endpoint is down or its host does not exist. */
const REFUSED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND']);

function refusedCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; isErrorLike(current) && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && REFUSED_CODES.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function looksLikeConnectionFailure(error: unknown): boolean {
  for (let current = error, depth = 0; isErrorLike(current) && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('UND_ERR'))) return true;
    if (/fetch failed|terminated|other side closed|socket/i.test(current.message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** The typed LM error for a failed attempt; LMErrors pass through, unknown programming errors too. */
export function toLMError(error: unknown, context: FailureContext): unknown {
  if (error instanceof LMError) return error;
  const where = `LM "${context.model}" at ${context.endpoint}`;
  const details: LMErrorDetails = { model: context.model, endpoint: context.endpoint };
  if (context.aborted)
    return new LMAbortedError(`${where}: call aborted by the caller's AbortSignal.`, details);
  // The SDK's error classes exist only once it is loaded, and until then none of its errors can either.
  const sdk = loadedOpenAIModule();
  const isAPIError = sdk !== undefined && error instanceof sdk.APIError;
  if (context.timedOut || (sdk !== undefined && error instanceof sdk.APIConnectionTimeoutError)) {
    const limit = context.timeoutMs !== undefined ? `within ${context.timeoutMs} ms` : 'before the timeout';
    return new LMTimeoutError(
      `${where}: no answer ${limit}. Raise timeoutMs or check the endpoint's load.`,
      details,
    );
  }
  if (sdk !== undefined && error instanceof sdk.APIUserAbortError)
    return new LMAbortedError(`${where}: call aborted.`, details);
  if (
    (sdk !== undefined && error instanceof sdk.APIConnectionError) ||
    (!isAPIError && looksLikeConnectionFailure(error))
  ) {
    const cause = redactSecrets(causeOf((error as Error).cause ?? error), context.apiKey);
    const certificate = certificateCode(error);
    if (certificate) {
      return new LMConnectionError(
        `${where}: the server's TLS certificate is not trusted (${cause}). If the endpoint uses a private ` +
          `or self-signed CA, start Node with NODE_EXTRA_CA_CERTS=/path/to/ca.pem; retrying will not help.`,
        { ...details, code: 'LM_TLS_CERTIFICATE', retryable: false },
      );
    }
    if (refusedCode(error)) {
      return new LMConnectionError(
        `${where}: nothing answers there (${cause}). Check that the endpoint is running and its baseURL is right.`,
        { ...details, code: 'LM_UNREACHABLE' },
      );
    }
    return new LMConnectionError(
      `${where}: connection failed (${cause}). Check that the endpoint is running and reachable.`,
      details,
    );
  }
  if (!isAPIError) return error;
  if ((error as APIError).status === undefined) {
    // The SDK raises an APIError without status for an `error` event inside a stream.
    const message = redactSecrets((error as APIError).message, context.apiKey);
    return new LMBadResponseError(
      `${where}: the event stream carried an error event: "${message}". Streams are retried only before their first chunk.`,
      { ...details, bodyStart: '', retryable: true },
    );
  }
  return statusError(error as APIError, where, context);
}

function statusError(error: APIError, where: string, context: FailureContext): LMError {
  const status = error.status as number;
  const providerMessage = providerMessageOf(error, context.apiKey);
  const code = typeof error.code === 'string' ? error.code : undefined;
  const details: LMErrorDetails = {
    model: context.model,
    endpoint: context.endpoint,
    status,
    providerMessage,
    providerCode: code,
    retryAfterMs: parseRetryAfter(error.headers),
  };
  const said = `(${status}): ${providerMessage}`;
  if (status === 401 || status === 403) {
    return new LMAuthenticationError(
      `${where}: authentication failed ${said}. Check the apiKey option or SIGIL_LM_API_KEY / OPENAI_API_KEY.`,
      details,
    );
  }
  if (status === 404) {
    return new LMNotFoundError(
      `${where}: model or route not found ${said}. Check the model name and baseURL (a LiteLLM proxy expects names like "openai/gpt-4o-mini").`,
      details,
    );
  }
  if (status === 429) {
    const hint =
      code === 'insufficient_quota'
        ? 'The account is out of quota: check billing; retrying will not help.'
        : 'Lower maxConcurrency or set requestsPerMinute / tokensPerMinute on the LM.';
    return new LMRateLimitError(`${where}: rate limited ${said}. ${hint}`, details);
  }
  if (status === 408 || status === 409 || status >= 500) {
    return new LMServerError(
      `${where}: endpoint failed ${said}. If it persists, check the provider's status.`,
      details,
    );
  }
  if (code === 'context_length_exceeded' || CONTEXT_WINDOW.test(providerMessage)) {
    return new ContextWindowExceededError(
      `${where}: the prompt exceeds the model's context window ${said}. Shorten the inputs, use fewer demos or lower maxTokens.`,
      details,
    );
  }
  return new LMBadRequestError(
    `${where}: request rejected ${said}. Check the call options; a parameter this model does not support is the usual cause.`,
    details,
  );
}
