import {
  AdapterParseError,
  ConfigurationError,
  ContextWindowExceededError,
  LMAuthenticationError,
  LMBadResponseError,
  LMConnectionError,
  LMTruncatedResponseError,
  LMRateLimitError,
  LMServerError,
  LMTimeoutError,
  ModuleInputError,
  OutputValidationError,
} from '@sigil/core';
import { httpErrorOf } from '@sigil/nestjs';

const where = { model: 'openai/gpt-4o-mini', endpoint: 'http://10.0.0.7:4000' };

describe('httpErrorOf', () => {
  it.each([
    [new LMServerError('x', { ...where, status: 500, attempts: 5 }), 502, 'LM_UPSTREAM_ERROR'],
    [new LMConnectionError('x', where), 502, 'LM_UNREACHABLE'],
    [new LMBadResponseError('x', { ...where, status: 200, bodyStart: '<html>' }), 502, 'LM_BAD_RESPONSE'],
    [new LMTruncatedResponseError('x', { ...where, status: 200, bodyStart: '{"id' }), 502, 'LM_BAD_RESPONSE'],
    [
      new LMConnectionError('x', { ...where, code: 'LM_TLS_CERTIFICATE', retryable: false }),
      502,
      'LM_UNREACHABLE',
    ],
    [new LMAuthenticationError('x', { ...where, status: 401 }), 502, 'LM_AUTH_FAILED'],
    [new ContextWindowExceededError('x', { ...where, status: 400 }), 502, 'LM_REQUEST_REJECTED'],
    [new LMRateLimitError('x', { ...where, status: 429, retryAfterMs: 2_500 }), 503, 'LM_RATE_LIMITED'],
    [
      new LMRateLimitError('x', { ...where, status: 429, providerCode: 'insufficient_quota' }),
      503,
      'LM_QUOTA_EXCEEDED',
    ],
    [new LMTimeoutError('x', where), 503, 'LM_TIMEOUT'],
    [new ModuleInputError('x', { signature: 'QA', fields: ['question'] }), 400, 'INVALID_PROGRAM_INPUT'],
    [
      new AdapterParseError('x', {
        signature: 'QA',
        adapter: 'ChatAdapter',
        completion: 'garbage',
        found: [],
        missing: ['answer'],
      }),
      502,
      'LM_INVALID_OUTPUT',
    ],
    [
      new OutputValidationError('x', { signature: 'QA', problems: ['label: not one of'], completion: 'bad' }),
      502,
      'LM_INVALID_OUTPUT',
    ],
    [new ConfigurationError('x'), 500, 'SIGIL_NOT_CONFIGURED'],
  ])('maps %p to %i %s', (error, status, code) => {
    const body = httpErrorOf(error)!;
    expect(body).toMatchObject({ statusCode: status, code });
    expect(JSON.stringify(body)).not.toContain('10.0.0.7');
  });

  it('tells the client when to retry a rate-limited call, in whole seconds', () => {
    const body = httpErrorOf(
      new LMRateLimitError('x', { ...where, status: 429, retryAfterMs: 2_500, attempts: 3 }),
    );
    expect(body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      code: 'LM_RATE_LIMITED',
      message: 'The language model is rate limited after 3 attempts; try again later.',
      model: 'openai/gpt-4o-mini',
      upstreamStatus: 429,
      retryAfterSeconds: 3,
    });
  });

  it('names the input fields at fault', () => {
    expect(
      httpErrorOf(new ModuleInputError('missing question', { signature: 'QA', fields: ['question'] })),
    ).toMatchObject({
      message: 'missing question',
      fields: ['question'],
    });
  });

  it('leaves other errors to Nest', () => {
    expect(httpErrorOf(new Error('boom'))).toBeUndefined();
  });
});
