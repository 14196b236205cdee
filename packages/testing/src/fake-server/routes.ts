/**
 * How FakeOpenAIServer answers routes beyond chat completions and embeddings: each family of endpoints
 * (files, fine-tuning, …) lives in its own file as a `FakeRoutes` and is registered with the server.
 */
import type { RecordedRequest } from './types';

/** One request, as a route family sees it. */
export interface RouteCall {
  readonly method: string;
  /** The path without `/v1` and without the query: `/files/file-1/content`. */
  readonly route: string;
  readonly query: URLSearchParams;
  readonly record: RecordedRequest;
  /** The request body as received (multipart uploads are parsed from it). */
  readonly raw: Buffer;
  readonly contentType: string;
}

/** What a route answers: a JSON body, or raw bytes. */
export interface RouteAnswer {
  status: number;
  body?: unknown;
  raw?: Buffer;
  contentType?: string;
}

/** A family of endpoints: answers the calls it knows, undefined for the others. */
export interface FakeRoutes {
  /** Answers the calls this family knows; undefined for the others (the next family is asked). */
  answer(call: RouteCall): RouteAnswer | undefined | Promise<RouteAnswer | undefined>;
}

/** An OpenAI-shaped error answer. */
export function errorAnswer(status: number, message: string, code?: string, param?: string): RouteAnswer {
  return {
    status,
    body: { error: { message, type: 'invalid_request_error', param: param ?? null, code: code ?? null } },
  };
}

/** Seconds since the epoch, as OpenAI's `created_at` fields. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
