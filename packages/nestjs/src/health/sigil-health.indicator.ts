import { Injectable } from '@nestjs/common';
import type { LanguageModel } from '@sigil/core';
import { SigilContext } from '../context/sigil-context';

/** The result of one check, in the shape `@nestjs/terminus` expects from a health indicator. */
export type SigilHealthResult<K extends string = string> = Record<
  K,
  { status: 'up' | 'down'; model?: string; latencyMs?: number; message?: string }
>;

/** Options of one check. */
export interface SigilHealthCheckOptions {
  /** How long the LM gets to answer (default 5,000 ms); the call is aborted after that. */
  timeoutMs?: number;
  /** The LM to check (default: the one given to `SigilModule.forRoot`). */
  lm?: LanguageModel;
}

const DEFAULT_TIMEOUT_MS = 5_000;

/**
 * Checks that the LM endpoint answers, with one tiny uncached call (`max_tokens: 1`). Works without
 * Terminus; with it, pass the check to `HealthCheckService` (Terminus ≥ 10.1 reads `status: 'down'` as a
 * failure, so nothing is thrown).
 * @example
 * @Get('health') @HealthCheck()
 * check() { return this.health.check([() => this.sigil.isHealthy('lm')]); }
 */
@Injectable()
export class SigilHealthIndicator {
  constructor(private readonly sigil: SigilContext) {}

  /** `{ [key]: { status: 'up' | 'down', model, latencyMs, message? } }` after one tiny call to the LM. */
  async isHealthy<K extends string = 'lm'>(
    key: K = 'lm' as K,
    options: SigilHealthCheckOptions = {},
  ): Promise<SigilHealthResult<K>> {
    const lm = options.lm ?? this.sigil.settings.lm;
    const result = (status: 'up' | 'down', details: Omit<SigilHealthResult[string], 'status'>) =>
      ({ [key]: { status, ...details } }) as SigilHealthResult<K>;
    if (!lm) return result('down', { message: 'No LM is configured (SigilModule.forRoot({ lm })).' });
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const started = performance.now();
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(new Error(`no answer within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      const call = lm.call([{ role: 'user', content: 'ping' }], {
        maxTokens: 1,
        temperature: 0,
        cache: false,
        priority: 'interactive',
        timeoutMs,
        signal: abort.signal,
      });
      call.catch(() => undefined);
      await Promise.race([call, late]);
      return result('up', { model: lm.model, latencyMs: Math.round(performance.now() - started) });
    } catch (error) {
      return result('down', {
        model: lm.model,
        latencyMs: Math.round(performance.now() - started),
        message: describe(error),
      });
    } finally {
      clearTimeout(timer);
    }
  }
}

function describe(error: unknown): string {
  const status = (error as { status?: unknown })?.status;
  const message = error instanceof Error ? error.message : String(error);
  return typeof status === 'number' ? `HTTP ${status}: ${message}` : message;
}
