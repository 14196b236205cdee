import type { MessageEvent } from '@nestjs/common';
import type { StreamChunk } from '@sigil/core';
import { Observable } from 'rxjs';
import { httpErrorOf } from '../errors/http-error-of';

/**
 * A Sigil stream (`program.stream(inputs)`) as the Observable a NestJS `@Sse()` handler returns: each chunk
 * is one server-sent event named after its type (`field`, `status`, `prediction`) with the chunk as its
 * data; a failure is an `error` event with the HTTP error body, then the stream ends. When the client
 * disconnects, Nest unsubscribes, which stops the stream and aborts its LM call.
 * @example @Sse('answer/stream') stream(@Query('question') question: string) {
 *   return toServerSentEvents(this.answerer.stream({ question })); }
 */
export function toServerSentEvents<O>(stream: AsyncIterable<StreamChunk<O>>): Observable<MessageEvent> {
  return new Observable<MessageEvent>((subscriber) => {
    const iterator = stream[Symbol.asyncIterator]();
    let closed = false;
    (async () => {
      try {
        for (;;) {
          const next = await iterator.next();
          if (next.done || closed) break;
          subscriber.next({ type: next.value.type, data: next.value });
        }
      } catch (error) {
        if (!closed) {
          const data = httpErrorOf(error) ?? {
            statusCode: 500,
            error: 'Internal Server Error',
            code: 'STREAM_FAILED',
            message: 'The stream failed.',
          };
          subscriber.next({ type: 'error', data });
        }
      }
      subscriber.complete();
    })();
    return () => {
      closed = true;
      void iterator.return?.();
    };
  });
}
