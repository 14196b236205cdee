import {
  AdapterParseError,
  CacheMissError,
  ConfigurationError,
  LMAbortedError,
  LMAuthenticationError,
  LMConnectionError,
  LMError,
  LMRateLimitError,
  LMServerError,
  LMTimeoutError,
  ModuleInputError,
  OutputValidationError,
  ProgramStateError,
} from '@sigil/core';

/** The JSON body the filter answers with. */
export interface SigilErrorBody {
  statusCode: number;
  /** The HTTP reason phrase. */
  error: string;
  /** A stable machine-readable code (`LM_RATE_LIMITED`, `LM_UPSTREAM_ERROR` …). */
  code: string;
  /** What happened, for a client: never the endpoint, the key or the prompt. */
  message: string;
  /** The model involved, when the failure came from the LM. */
  model?: string;
  /** The status the LM endpoint answered, when it answered. */
  upstreamStatus?: number;
  /** Seconds the client should wait before retrying (also sent as `Retry-After`). */
  retryAfterSeconds?: number;
  /** The input fields at fault (`ModuleInputError`). */
  fields?: readonly string[];
}

/** Every error class the filter maps. */
export const SIGIL_ERRORS = [
  LMError,
  ModuleInputError,
  AdapterParseError,
  OutputValidationError,
  ConfigurationError,
  ProgramStateError,
] as const;

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/**
 * The HTTP answer for a Sigil error: the LM endpoint failing is a 502 (upstream failure); the LM rate
 * limited, timing out or the call aborted is a 503 (try again later); inputs that do not fit the signature
 * are a 400; a reply the model got wrong after retries is a 502; setup errors are 500s.
 */
export function httpErrorOf(error: unknown): SigilErrorBody | undefined {
  if (error instanceof LMError) return lmErrorBody(error);
  if (error instanceof ModuleInputError) {
    return body(400, 'INVALID_PROGRAM_INPUT', error.message, { fields: error.fields });
  }
  if (error instanceof AdapterParseError || error instanceof OutputValidationError) {
    return body(
      502,
      'LM_INVALID_OUTPUT',
      `The language model's reply could not be used for ${error.signatureName} (after retries).`,
    );
  }
  if (error instanceof ConfigurationError || error instanceof ProgramStateError) {
    return body(500, 'SIGIL_NOT_CONFIGURED', 'The language model program is not configured correctly.');
  }
  return undefined;
}

function lmErrorBody(error: LMError): SigilErrorBody {
  const upstream = { model: error.model, upstreamStatus: error.status };
  const after = error.attempts > 1 ? ` after ${error.attempts} attempts` : '';
  if (error instanceof LMRateLimitError) {
    const retryAfterSeconds =
      error.retryAfterMs !== undefined ? Math.ceil(error.retryAfterMs / 1000) : undefined;
    const quota = error.code === 'insufficient_quota';
    return body(
      503,
      quota ? 'LM_QUOTA_EXCEEDED' : 'LM_RATE_LIMITED',
      quota
        ? 'The language model provider refused the call: the quota is used up.'
        : `The language model is rate limited${after}; try again later.`,
      { ...upstream, retryAfterSeconds },
    );
  }
  if (error instanceof LMTimeoutError) {
    return body(
      503,
      'LM_TIMEOUT',
      `The language model did not answer in time${after}; try again later.`,
      upstream,
    );
  }
  if (error instanceof LMAbortedError) {
    return body(503, 'LM_ABORTED', 'The language model call was cancelled before it finished.', upstream);
  }
  if (error instanceof LMConnectionError) {
    return body(502, 'LM_UNREACHABLE', `The language model endpoint could not be reached${after}.`, upstream);
  }
  if (error instanceof LMServerError) {
    const status = error.status !== undefined ? ` (HTTP ${error.status})` : '';
    return body(502, 'LM_UPSTREAM_ERROR', `The language model endpoint failed${status}${after}.`, upstream);
  }
  if (error instanceof LMAuthenticationError) {
    return body(
      502,
      'LM_AUTH_FAILED',
      `The language model endpoint rejected this service's credentials (HTTP ${error.status ?? 401}).`,
      upstream,
    );
  }
  if (error instanceof CacheMissError) {
    return body(
      502,
      'LM_CACHE_MISS',
      'The language model cache is in replay mode and holds no answer for this call.',
      upstream,
    );
  }
  const status = error.status !== undefined ? ` (HTTP ${error.status})` : '';
  return body(
    502,
    'LM_REQUEST_REJECTED',
    `The language model endpoint rejected the call${status}.`,
    upstream,
  );
}

function body(
  statusCode: number,
  code: string,
  message: string,
  extra: Partial<SigilErrorBody> = {},
): SigilErrorBody {
  const out: SigilErrorBody = { statusCode, error: REASONS[statusCode], code, message };
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) (out as any)[key] = value;
  return out;
}
