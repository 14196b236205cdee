/**
 * Reading a successful chat reply: the body must be a chat completion. Anything else (an error object
 * sent with 200, `{}`, plain text, an HTML page, an event stream nobody asked for, a body cut short)
 * becomes an {@link LMBadResponseError} that says what came back, instead of a `TypeError` deep inside
 * the parse.
 */
import { redactSecrets } from './endpoint';
import { LMBadResponseError, LMTruncatedResponseError } from './errors';
import type { WireChoice, WireUsage } from './openai-wire';

/** Who asked, for the error message. */
export interface ReplyContext {
  model: string;
  endpoint: string;
  apiKey: string | undefined;
  /** The attempt's signal: a body read that failed because it fired is an abort or timeout, not a bad reply. */
  signal?: AbortSignal;
}

/** The parts of a chat completion Sigil reads. */
export interface WireCompletion {
  choices: WireChoice[];
  usage?: WireUsage | null;
}

const SHOWN_CHARACTERS = 160;

type Kind = { what: string; advice: string; retryable: boolean; truncated?: boolean };

const NOT_AN_API = 'Check that baseURL points at an OpenAI-compatible API (for most servers it ends in /v1).';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when a JSON parse failed at the very end of the text: the JSON stops short. */
function endsTooSoon(error: unknown, text: string): boolean {
  const message = error instanceof Error ? error.message : '';
  if (/end of JSON input|Unterminated string/i.test(message)) return true;
  const position = /at position (\d+)/.exec(message);
  return position !== null && Number(position[1]) >= text.trimEnd().length;
}

/** A status an error object in a 200 names, when it names one (LiteLLM puts it in `code` as text). */
function statusNamed(error: Record<string, unknown>): number | undefined {
  for (const value of [error.status, error.code, error.status_code]) {
    const number = typeof value === 'string' && /^\d{3}$/.test(value) ? Number(value) : value;
    if (typeof number === 'number' && number >= 100 && number < 600) return number;
  }
  return undefined;
}

function errorKind(error: unknown): Kind {
  const detail = isObject(error) ? error : { message: error };
  const message = typeof detail.message === 'string' ? detail.message : JSON.stringify(error);
  const status = statusNamed(detail);
  const clientError =
    status !== undefined &&
    status >= 400 &&
    status < 500 &&
    status !== 408 &&
    status !== 409 &&
    status !== 429;
  return {
    what: `an error object instead of a completion${status !== undefined ? ` (status ${status} inside)` : ''}: "${message}"`,
    advice: clientError
      ? 'The error says the request itself is at fault; fix it before retrying.'
      : 'The endpoint reported a failure with a success status; it is retried as a server error.',
    retryable: !clientError,
  };
}

function unparsedKind(mediaType: string, text: string, parseError: unknown): Kind {
  const start = text.trimStart();
  if ((start.startsWith('{') || start.startsWith('[')) && endsTooSoon(parseError, text)) {
    return { what: 'JSON that stops short', advice: 'Retried.', retryable: true, truncated: true };
  }
  if (mediaType === 'text/event-stream' || start.startsWith('data:') || start.startsWith('event:')) {
    return {
      what: 'an event stream (SSE), although the request did not ask to stream',
      advice: `${NOT_AN_API} Use lm.stream() for streamed answers.`,
      retryable: false,
    };
  }
  if (mediaType.includes('html') || /^<(!doctype|html|head|body)/i.test(start)) {
    return { what: 'an HTML page', advice: `${NOT_AN_API} A web page answered instead.`, retryable: false };
  }
  if (mediaType.includes('json')) {
    const reason = parseError instanceof Error ? ` (${parseError.message})` : '';
    return { what: `a body that is not valid JSON${reason}`, advice: NOT_AN_API, retryable: false };
  }
  return { what: 'text that is not JSON', advice: NOT_AN_API, retryable: false };
}

function shapeKind(data: unknown): Kind | undefined {
  if (isObject(data) && data.error !== undefined && data.error !== null) return errorKind(data.error);
  if (!isObject(data) || !Array.isArray(data.choices)) {
    const what = isObject(data) && Object.keys(data).length === 0 ? '`{}`' : 'JSON without a `choices` list';
    return { what: `${what}, not a chat completion`, advice: NOT_AN_API, retryable: false };
  }
  if (data.choices.length === 0) {
    return { what: 'a chat completion with no choices', advice: 'Retried.', retryable: true };
  }
  if (!data.choices.every((choice) => isObject(choice) && isObject(choice.message))) {
    return { what: 'choices without a `message` object', advice: NOT_AN_API, retryable: false };
  }
  return undefined;
}

function failure(
  response: Response,
  text: string,
  kind: Kind,
  context: ReplyContext,
  request = 'POST /chat/completions',
): LMBadResponseError {
  const contentType = response.headers.get('content-type') ?? undefined;
  const shown = redactSecrets(text.slice(0, SHOWN_CHARACTERS), context.apiKey);
  const bodyStart = shown + (text.length > SHOWN_CHARACTERS ? '…' : '');
  const message =
    `LM "${context.model}" at ${context.endpoint}: ${request} answered ${response.status} ` +
    `(content-type: ${contentType ?? 'none'}) with ${kind.what}; the body begins ${JSON.stringify(bodyStart)}. ` +
    kind.advice;
  const details = {
    model: context.model,
    endpoint: context.endpoint,
    status: response.status,
    contentType,
    bodyStart,
  };
  return kind.truncated
    ? new LMTruncatedResponseError(message, details)
    : new LMBadResponseError(message, { ...details, retryable: kind.retryable });
}

/**
 * The chat completion in a 2xx reply, or an `LMBadResponseError` (`LMTruncatedResponseError` for a body
 * cut short) naming the endpoint, status, content type and the first characters of the body. A JSON
 * completion is accepted whatever content type it came with.
 */
export async function readChatCompletion(response: Response, context: ReplyContext): Promise<WireCompletion> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    if (context.signal?.aborted) throw error;
    const cause =
      error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    const kind = {
      what: `a body that ended before it was complete (${cause})`,
      advice: 'Retried.',
      retryable: true,
      truncated: true,
    };
    throw failure(response, '', kind, context);
  }
  if (text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim() === '')) {
    throw failure(response, text, { what: 'an empty body', advice: 'Retried.', retryable: true }, context);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (parseError) {
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
    throw failure(response, text, unparsedKind(mediaType, text, parseError), context);
  }
  const kind = shapeKind(data);
  if (kind) throw failure(response, text, kind, context);
  return data as WireCompletion;
}

/**
 * The error for a streamed reply that failed while it was being read (the signal had not fired): the
 * connection closing mid-stream is a truncated reply; an event whose data is not JSON is a bad one.
 */
export function brokenStream(
  response: Response,
  error: unknown,
  chunks: number,
  context: ReplyContext,
): LMBadResponseError {
  const cause =
    error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
  const request = 'POST /chat/completions (streamed)';
  if (error instanceof SyntaxError) {
    const kind = {
      what: `an event whose data is not JSON after ${chunks} chunks (${cause})`,
      advice: NOT_AN_API,
      retryable: false,
    };
    return failure(response, '', kind, context, request);
  }
  const kind = {
    what: `an event stream that broke off after ${chunks} chunks (${cause})`,
    advice: 'Streams are retried only before their first chunk; call again for a full answer.',
    retryable: true,
    truncated: true,
  };
  return failure(response, '', kind, context, request);
}
