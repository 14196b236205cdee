import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { Settings } from '@sigil/core';
import { randomUUID } from 'node:crypto';
import { Observable, type Subscriber } from 'rxjs';
import { SIGIL_MODULE_OPTIONS, type SigilModuleOptions } from '../options';
import { SigilContext } from './sigil-context';

/**
 * Runs every handler inside the application's Sigil settings plus what `resolveRequestContext` returns for
 * the request. Registered globally by `SigilModule.forRoot`.
 *
 * AsyncLocalStorage follows the call that creates async work, so `next.handle()` is called — and its
 * Observable subscribed — inside `context(...)`: the handler then starts in that context and everything it
 * awaits inherits it. Each request gets its own store, so concurrent requests never see each other's LM.
 */
@Injectable()
export class SigilContextInterceptor implements NestInterceptor {
  constructor(
    private readonly sigil: SigilContext,
    @Inject(SIGIL_MODULE_OPTIONS) private readonly options: SigilModuleOptions,
  ) {}

  intercept(executionContext: ExecutionContext, next: CallHandler): Observable<unknown> {
    return new Observable<unknown>((subscriber) => {
      const end = this.sigil.beginRequest();
      if (!end) {
        fail(subscriber, shuttingDown(executionContext));
        return undefined;
      }
      let subscription: { unsubscribe(): void } | undefined;
      let closed = false;
      const start = (overrides: Partial<Settings> | undefined) => {
        if (!closed) subscription = this.sigil.run(() => next.handle().subscribe(subscriber), overrides);
      };
      try {
        const overrides = this.overridesFor(executionContext);
        if (isPromiseLike(overrides)) overrides.then(start, (error: unknown) => fail(subscriber, error));
        else start(overrides);
      } catch (error) {
        fail(subscriber, error);
      }
      return () => {
        closed = true;
        subscription?.unsubscribe();
        end();
      };
    });
  }

  private overridesFor(
    executionContext: ExecutionContext,
  ): Partial<Settings> | undefined | PromiseLike<Partial<Settings> | undefined> {
    const http = executionContext.getType() === 'http';
    const request = http ? executionContext.switchToHttp().getRequest() : executionContext.getArgByIndex(0);
    // Every HTTP request is tagged with its id (its header, else a fresh one): log lines and spans carry it.
    const id = http ? requestIdOf(request, this.options.requestIdHeader ?? 'x-request-id') : undefined;
    const withId = (resolved: Partial<Settings> | undefined): Partial<Settings> | undefined =>
      id === undefined ? resolved : { ...resolved, tags: { requestId: id, ...resolved?.tags } };
    const resolve = this.options.resolveRequestContext;
    if (!resolve) return withId(undefined);
    const resolved = resolve(request, executionContext);
    return isPromiseLike<Partial<Settings> | undefined>(resolved) ? resolved.then(withId) : withId(resolved);
  }
}

/** Seconds a client is asked to wait before retrying a request refused during shutdown. */
const SHUTDOWN_RETRY_AFTER_SECONDS = 5;

/** The answer to a request that arrives while the application drains: 503 with Retry-After, at once. */
function shuttingDown(executionContext: ExecutionContext): Error {
  const body = {
    statusCode: 503,
    code: 'SHUTTING_DOWN',
    message: 'The service is shutting down and takes no new requests; retry shortly.',
  };
  if (executionContext.getType() === 'http') {
    const response = executionContext.switchToHttp().getResponse();
    if (typeof response?.setHeader === 'function') {
      response.setHeader('Retry-After', String(SHUTDOWN_RETRY_AFTER_SECONDS));
    } else if (typeof response?.header === 'function') {
      response.header('Retry-After', String(SHUTDOWN_RETRY_AFTER_SECONDS));
    }
  }
  return new ServiceUnavailableException(body);
}

function requestIdOf(request: { headers?: Record<string, unknown> } | undefined, header: string): string {
  const given = request?.headers?.[header.toLowerCase()];
  return typeof given === 'string' && given !== '' ? given.slice(0, 200) : randomUUID();
}

function isPromiseLike<T>(value: unknown): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | undefined)?.then === 'function';
}

function fail(subscriber: Subscriber<unknown>, error: unknown): void {
  if (!subscriber.closed) subscriber.error(error);
}
