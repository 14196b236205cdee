import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
} from '@nestjs/common';
import { ConfigurationError, context, type Settings, type SigilLogger } from '@sigil/core';
import { SIGIL_MODULE_OPTIONS, type Flushable, type SigilModuleOptions } from '../options';
import { InFlightCalls } from './in-flight-calls';
import { InFlightRequests } from './in-flight-requests';

const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;
/** How long cancelled calls get to settle, so their requests are answered before the server closes. */
const ABORT_GRACE_MS = 1_000;

/**
 * The application's Sigil settings, held in DI rather than in process-wide state, so two Nest applications
 * in one process never see each other's LM. The global interceptor enters them around every request; call
 * `run` to enter them anywhere else (a cron job, a queue consumer, `onApplicationBootstrap`).
 * @example await this.sigil.run(() => this.rag.forward({ question }), { tags: { job: 'nightly' } });
 */
@Injectable()
export class SigilContext implements OnModuleDestroy, BeforeApplicationShutdown {
  /** The module's settings, with the in-flight counter among their LM middlewares. */
  readonly settings: Readonly<Settings>;
  private readonly calls = new InFlightCalls();
  private readonly requests = new InFlightRequests();
  private shuttingDown = false;
  private drainDeadline?: number;
  private readonly logger = new Logger('Sigil');

  constructor(@Inject(SIGIL_MODULE_OPTIONS) private readonly options: SigilModuleOptions) {
    const { lm, adapter, callbacks, lmOptions, maxRetries, tags } = options;
    // Fail at boot, not at the first request: with no LM here, every request must bring its own.
    if (!lm && !options.resolveRequestContext) {
      throw new ConfigurationError(
        'SigilModule.forRoot: no lm — pass { lm: new LM(…) } (or ScriptedLM in tests), or a ' +
          'resolveRequestContext that gives each request its own lm.',
        { code: 'NO_LM' },
      );
    }
    const logger = options.logger === false ? undefined : (options.logger ?? nestLogger(this.logger));
    this.settings = this.merge({}, { lm, adapter, callbacks, lmOptions, maxRetries, tags, logger });
  }

  /** LM calls made through this application's settings that have not settled yet. */
  get inFlight(): number {
    return this.calls.count;
  }

  /** Requests the global interceptor has let in and that have not finished. */
  get requestsInFlight(): number {
    return this.requests.count;
  }

  /** True from the start of shutdown: new requests are answered 503 at once. */
  get draining(): boolean {
    return this.shuttingDown;
  }

  /**
   * Counts a request until the returned function is called; undefined (and nothing counted) once the
   * application is shutting down. The global interceptor calls it for every request.
   */
  beginRequest(): (() => void) | undefined {
    return this.shuttingDown ? undefined : this.requests.begin();
  }

  /** The module's settings with `overrides` merged in: tags, callbacks and lmOptions combine; the rest replaces. */
  settingsWith(overrides: Partial<Settings> | undefined): Settings {
    return overrides ? this.merge(this.settings, overrides) : { ...this.settings };
  }

  /** Runs `fn` (and all the async work it starts) inside the module's settings plus `overrides`. */
  run<T>(fn: () => T, overrides?: Partial<Settings>): T {
    return context(this.settingsWith(overrides), fn);
  }

  /**
   * The first step of shutdown (Nest destroys the global modules first, before any other module's hooks
   * run): stops taking requests — new ones get 503 `SHUTTING_DOWN` with `Retry-After` at once — and waits,
   * bounded by `shutdownTimeoutMs`, for the requests in flight to finish: whole requests, not only their LM
   * calls, before any other module starts closing what they use.
   */
  async onModuleDestroy(): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    this.drainDeadline = Date.now() + this.shutdownTimeoutMs();
    await this.requests.drain(this.shutdownTimeoutMs());
  }

  /**
   * Waits for LM calls still in flight (requests that outlived the wait, work outside requests) until
   * `shutdownTimeoutMs` has passed since shutdown began, cancels the rest (their requests fail with 503
   * `LM_ABORTED` instead of holding the HTTP server open), then flushes the caches.
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (!this.shuttingDown) await this.onModuleDestroy();
    const timeoutMs = this.shutdownTimeoutMs();
    const left = Math.max(0, (this.drainDeadline ?? Date.now()) - Date.now());
    const { drained, remaining } = await this.calls.drain(left);
    if (!drained || this.requests.count > 0) {
      this.logger.warn(
        `${this.requests.count} request(s) and ${remaining} LM call(s) still running after ${timeoutMs} ms; ` +
          'cancelling the LM calls.',
      );
      this.calls.abort(`The application is shutting down (waited ${timeoutMs} ms for this LM call).`);
      await this.calls.drain(ABORT_GRACE_MS);
      await this.requests.drain(ABORT_GRACE_MS);
    }
    await this.flushCaches();
  }

  private shutdownTimeoutMs(): number {
    return this.options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  }

  private async flushCaches(): Promise<void> {
    const caches: readonly Flushable[] = Array.isArray(this.options.cache)
      ? this.options.cache
      : this.options.cache
        ? [this.options.cache as Flushable]
        : [];
    for (const cache of caches) {
      try {
        await cache.flush();
      } catch (error) {
        this.logger.error(`Flushing a cache on shutdown failed: ${(error as Error)?.message ?? error}`);
      }
    }
  }

  private merge(base: Readonly<Settings>, overrides: Partial<Settings>): Settings {
    const out: Settings = { ...base };
    for (const [key, value] of Object.entries(overrides) as [keyof Settings, unknown][]) {
      if (value !== undefined) (out as Record<string, unknown>)[key] = value;
    }
    if (overrides.tags && base.tags) out.tags = { ...base.tags, ...overrides.tags };
    if (overrides.lmOptions && base.lmOptions) out.lmOptions = { ...base.lmOptions, ...overrides.lmOptions };
    if (overrides.callbacks && base.callbacks) out.callbacks = [...base.callbacks, ...overrides.callbacks];
    // The in-flight counter sits outermost, once, around every LM call of this application.
    out.lmMiddleware = [
      this.calls.middleware,
      ...(out.lmMiddleware ?? []).filter((m) => m !== this.calls.middleware),
    ];
    return out;
  }
}

/** Sigil's warnings and notices through Nest's Logger, with the request id when the request has one. */
function nestLogger(logger: Logger): SigilLogger {
  const line = (message: string, tags?: Readonly<Record<string, string>>) =>
    tags?.requestId ? `[request ${tags.requestId}] ${message}` : message;
  return {
    warn: (message, { code, tags }) => logger.warn(`${line(message, tags)} (${code})`),
    log: (message, { code, tags }) => logger.log(`${line(message, tags)} (${code})`),
  };
}
