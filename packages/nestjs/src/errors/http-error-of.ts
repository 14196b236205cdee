import { LMError, SigilError } from '@sigil/core';

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

/**
 * The error classes the filter catches: every Sigil error (`instanceof SigilError` holds across duplicate
 * copies of `@sigil/core`); which HTTP answer each gets is decided by its `code`.
 */
export const SIGIL_ERRORS = [SigilError] as const;

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

type Answer = (error: SigilError & Partial<LMError> & { fields?: readonly string[] }) => SigilErrorBody;

const after = (error: Partial<LMError>) =>
  error.attempts !== undefined && error.attempts > 1 ? ` after ${error.attempts} attempts` : '';
const upstream = (error: Partial<LMError>) => ({ model: error.model, upstreamStatus: error.status });
const statusText = (error: Partial<LMError>) => (error.status !== undefined ? ` (HTTP ${error.status})` : '');
const retryAfter = (error: Partial<LMError>) =>
  error.retryAfterMs !== undefined ? Math.ceil(error.retryAfterMs / 1000) : undefined;

const invalidOutput: Answer = (error) =>
  body(
    502,
    'LM_INVALID_OUTPUT',
    `The language model's reply could not be used for ${(error as { signatureName?: string }).signatureName ?? 'the program'} (after retries).`,
  );
const notConfigured: Answer = () =>
  body(500, 'SIGIL_NOT_CONFIGURED', 'The language model program is not configured correctly.');

/** The HTTP answer for each Sigil error code (see docs/errors.md); codes not listed fall back by family. */
const BY_CODE: Record<string, Answer> = {
  LM_RATE_LIMITED: (e) =>
    body(503, 'LM_RATE_LIMITED', `The language model is rate limited${after(e)}; try again later.`, {
      ...upstream(e),
      retryAfterSeconds: retryAfter(e),
    }),
  LM_QUOTA_EXCEEDED: (e) =>
    body(503, 'LM_QUOTA_EXCEEDED', 'The language model provider refused the call: the quota is used up.', {
      ...upstream(e),
      retryAfterSeconds: retryAfter(e),
    }),
  LM_TIMEOUT: (e) =>
    body(
      503,
      'LM_TIMEOUT',
      `The language model did not answer in time${after(e)}; try again later.`,
      upstream(e),
    ),
  LM_ABORTED: (e) =>
    body(503, 'LM_ABORTED', 'The language model call was cancelled before it finished.', upstream(e)),
  LM_UNREACHABLE: (e) =>
    body(502, 'LM_UNREACHABLE', `The language model endpoint could not be reached${after(e)}.`, upstream(e)),
  LM_CONNECTION: (e) =>
    body(502, 'LM_UNREACHABLE', `The language model endpoint could not be reached${after(e)}.`, upstream(e)),
  LM_TLS_CERTIFICATE: (e) =>
    body(
      502,
      'LM_UNREACHABLE',
      'The language model endpoint could not be reached (its TLS certificate is not trusted).',
      upstream(e),
    ),
  LM_SERVER_ERROR: (e) =>
    body(
      502,
      'LM_UPSTREAM_ERROR',
      `The language model endpoint failed${statusText(e)}${after(e)}.`,
      upstream(e),
    ),
  LM_BAD_RESPONSE: (e) =>
    body(
      502,
      'LM_BAD_RESPONSE',
      `The language model endpoint answered with something that is not a completion${statusText(e)}${after(e)}.`,
      upstream(e),
    ),
  LM_TRUNCATED_RESPONSE: (e) =>
    body(
      502,
      'LM_BAD_RESPONSE',
      `The language model endpoint's answer was cut short${after(e)}.`,
      upstream(e),
    ),
  LM_AUTHENTICATION: (e) =>
    body(
      502,
      'LM_AUTH_FAILED',
      `The language model endpoint rejected this service's credentials (HTTP ${e.status ?? 401}).`,
      upstream(e),
    ),
  LM_CACHE_MISS: (e) =>
    body(
      502,
      'LM_CACHE_MISS',
      'The language model cache is in replay mode and holds no answer for this call.',
      upstream(e),
    ),
  MODULE_INPUT: (e) => body(400, 'INVALID_PROGRAM_INPUT', e.message, { fields: e.fields }),
  OUTPUT_INVALID: invalidOutput,
  NO_LM: notConfigured,
  CONFIGURATION: notConfigured,
  PROGRAM_STATE: notConfigured,
  PROGRAM_STATE_FILE: notConfigured,
};

/**
 * The HTTP answer for a Sigil error, chosen by its `code`: the LM endpoint failing is a 502 (upstream
 * failure); the LM rate limited, timing out or the call aborted is a 503 (try again later); inputs that do
 * not fit the signature are a 400; a reply the model got wrong after retries is a 502; setup errors are 500s.
 * Anything that is not a Sigil error (or a Sigil error without an HTTP meaning) gives `undefined`.
 */
export function httpErrorOf(error: unknown): SigilErrorBody | undefined {
  if (!SigilError.isInstance(error)) return undefined;
  const answer = BY_CODE[error.code];
  if (answer) return answer(error);
  if (error.code.startsWith('ADAPTER_')) return invalidOutput(error);
  if (LMError.isInstance(error)) {
    return body(
      502,
      'LM_REQUEST_REJECTED',
      `The language model endpoint rejected the call${statusText(error)}.`,
      upstream(error),
    );
  }
  return undefined;
}

function body(
  statusCode: number,
  code: string,
  message: string,
  extra: Partial<SigilErrorBody> = {},
): SigilErrorBody {
  const out: SigilErrorBody = { statusCode, error: REASONS[statusCode], code, message };
  for (const [key, value] of Object.entries(extra)) {
    if (value !== undefined) (out as unknown as Record<string, unknown>)[key] = value;
  }
  return out;
}
