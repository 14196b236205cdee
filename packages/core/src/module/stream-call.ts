/**
 * One LM call made while a program streams: the call goes through `stream()` (and the middlewares), each
 * text delta of the first choice is read by the adapter's field reader and reported to the stream, and the
 * call resolves to the complete response as a plain call would.
 */
import type { FieldStream } from '../adapter/field-stream';
import { LMTruncatedResponseError } from '../lm/errors';
import type { LMResponse, LMStreamEvent } from '../lm/types';
import type { StreamSink } from '../runtime/settings';

/** Consumes a streamed call, reporting field text to `sink` on behalf of `predictor`. */
export async function consumeStream(
  events: AsyncIterable<LMStreamEvent>,
  fields: FieldStream | undefined,
  sink: StreamSink,
  predictor: object,
  model: string,
): Promise<LMResponse> {
  let response: LMResponse | undefined;
  for await (const event of events) {
    if (event.type === 'done') {
      response = event.response;
      break;
    }
    if (!fields || event.index !== 0) continue;
    for (const { field, delta } of fields.push(event.text)) sink.field(predictor, field, delta);
  }
  if (!response) {
    throw new LMTruncatedResponseError(`LM "${model}": the stream ended without its final response.`, {
      model,
      endpoint: '',
      bodyStart: '',
    });
  }
  if (fields) for (const { field, delta } of fields.end()) sink.field(predictor, field, delta);
  return response;
}

/** A signal that fires when either fires (the caller's and the stream's). */
export function eitherSignal(a: AbortSignal | undefined, b: AbortSignal): AbortSignal {
  if (!a || a === b) return b;
  const any = (AbortSignal as { any?: (signals: AbortSignal[]) => AbortSignal }).any;
  if (any) return any([a, b]);
  const controller = new AbortController();
  const stop = (signal: AbortSignal) => controller.abort(signal.reason);
  if (a.aborted) stop(a);
  else if (b.aborted) stop(b);
  else {
    a.addEventListener('abort', () => stop(a), { once: true });
    b.addEventListener('abort', () => stop(b), { once: true });
  }
  return controller.signal;
}
