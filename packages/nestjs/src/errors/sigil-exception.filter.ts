import { type ArgumentsHost, Catch, type ExceptionFilter, Logger, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { throwError } from 'rxjs';
import { settings } from '@sigil/core';
import { httpErrorOf, SIGIL_ERRORS } from './http-error-of';

/**
 * Maps Sigil's errors to HTTP answers with a clear JSON body (see `httpErrorOf`): LM failures → 502,
 * rate limits and timeouts → 503 (with `Retry-After` when known), bad program inputs → 400. The full error,
 * endpoint and provider message included, goes to the log, never to the client. Registered globally by
 * `SigilModule.forRoot` unless `mapErrors: false`; or apply it yourself with `@UseFilters(SigilExceptionFilter)`.
 */
@Catch(...SIGIL_ERRORS)
export class SigilExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Sigil');

  constructor(@Optional() private readonly adapterHost?: HttpAdapterHost) {}

  catch(exception: Error, host: ArgumentsHost): unknown {
    const answer = httpErrorOf(exception);
    if (host.getType() !== 'http' || !answer) return throwError(() => exception);
    const log = answer.statusCode === 503 || answer.statusCode === 400 ? 'warn' : 'error';
    const requestId = requestIdOf(host);
    this.logger[log](
      `${requestId ? `[request ${requestId}] ` : ''}${answer.code} → ${answer.statusCode}: ${exception.name}: ${exception.message}`,
    );
    const response = host.switchToHttp().getResponse();
    const adapter = this.adapterHost?.httpAdapter;
    const retryAfter = answer.retryAfterSeconds !== undefined ? String(answer.retryAfterSeconds) : undefined;
    if (adapter) {
      if (retryAfter) adapter.setHeader(response, 'Retry-After', retryAfter);
      adapter.reply(response, answer, answer.statusCode);
    } else {
      // Built with `new SigilExceptionFilter()` outside DI: answer through Node's own response API.
      if (retryAfter) response.setHeader('Retry-After', retryAfter);
      response.statusCode = answer.statusCode;
      response.setHeader('Content-Type', 'application/json; charset=utf-8');
      response.end(JSON.stringify(answer));
    }
    return undefined;
  }
}

/** The request's id: the Sigil tag the interceptor set, else the `x-request-id` header. */
function requestIdOf(host: ArgumentsHost): string | undefined {
  const tagged = settings().tags?.requestId;
  if (tagged) return tagged;
  const header = host.switchToHttp().getRequest()?.headers?.['x-request-id'];
  return typeof header === 'string' && header !== '' ? header : undefined;
}
