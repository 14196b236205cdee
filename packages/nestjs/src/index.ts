/**
 * @sigil/nestjs — Sigil programs as injectable providers in NestJS: `SigilModule.forRoot` / `forFeature`,
 * `@InjectProgram`, a per-request context interceptor, shutdown draining, a health indicator and an
 * exception filter for LM failures.
 * @module @sigil/nestjs
 */
import 'reflect-metadata';

export { SigilModule } from './sigil.module';
export { SigilCoreModule } from './sigil-core.module';
export { SIGIL_MODULE_OPTIONS } from './options';
export type {
  Flushable,
  RequestContextResolver,
  SigilModuleAsyncOptions,
  SigilModuleOptions,
  SigilOptionsFactory,
  SigilRegistrationOptions,
} from './options';
export { InjectProgram, getProgramToken } from './program/inject-program';
export type { ProgramFeature } from './program/program-providers';
export { SigilContext } from './context/sigil-context';
export { SigilContextInterceptor } from './context/sigil-context.interceptor';
export { SigilHealthIndicator } from './health/sigil-health.indicator';
export type { SigilHealthCheckOptions, SigilHealthResult } from './health/sigil-health.indicator';
export { SigilExceptionFilter } from './errors/sigil-exception.filter';
export { httpErrorOf } from './errors/http-error-of';
export type { SigilErrorBody } from './errors/http-error-of';
export { toServerSentEvents } from './sse/server-sent-events';
