import { type DynamicModule, Global, Module, type Provider } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { SigilContext } from './context/sigil-context';
import { SigilContextInterceptor } from './context/sigil-context.interceptor';
import { SigilExceptionFilter } from './errors/sigil-exception.filter';
import { SigilHealthIndicator } from './health/sigil-health.indicator';
import { SIGIL_MODULE_OPTIONS, type SigilRegistrationOptions } from './options';

/** The global half of SigilModule (`forRoot`): settings, the request interceptor, shutdown, health. */
@Global()
@Module({})
export class SigilCoreModule {
  /** The global module for these options (a provider of `SIGIL_MODULE_OPTIONS`); `forRoot` calls it. */
  static register(
    options: Provider,
    registration: SigilRegistrationOptions,
    imports: DynamicModule['imports'] = [],
    extra: Provider[] = [],
  ): DynamicModule {
    const providers: Provider[] = [
      ...extra,
      options,
      SigilContext,
      SigilHealthIndicator,
      { provide: APP_INTERCEPTOR, useClass: SigilContextInterceptor },
    ];
    if (registration.mapErrors !== false)
      providers.push({ provide: APP_FILTER, useClass: SigilExceptionFilter });
    return {
      module: SigilCoreModule,
      imports,
      providers,
      exports: [SIGIL_MODULE_OPTIONS, SigilContext, SigilHealthIndicator],
    };
  }
}
