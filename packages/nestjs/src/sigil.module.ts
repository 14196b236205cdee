import { type DynamicModule, Module, type ModuleMetadata, type Provider } from '@nestjs/common';
import { InvalidOptionError } from '@sigil/core';
import {
  SIGIL_MODULE_OPTIONS,
  type SigilModuleAsyncOptions,
  type SigilModuleOptions,
  type SigilOptionsFactory,
  type SigilRegistrationOptions,
} from './options';
import { type ProgramFeature, programProviders } from './program/program-providers';
import { SigilCoreModule } from './sigil-core.module';

/**
 * Sigil in a Nest application: `forRoot` once (the LM, adapter, per-request context), `forFeature` in each
 * module that uses programs, then inject them.
 * @example
 * @Module({
 *   imports: [
 *     SigilModule.forRoot({ lm: new LM('openai/gpt-4o-mini') }),
 *     SigilModule.forFeature([{ program: RAG, state: 'optimized/rag.json' }]),
 *   ],
 *   providers: [SearchService, AnswerService],
 * })
 * export class AppModule {}
 */
@Module({})
export class SigilModule {
  /** Configures Sigil for the whole application (a global module). */
  static forRoot(options: SigilModuleOptions & SigilRegistrationOptions): DynamicModule {
    const { mapErrors, ...settings } = options;
    return SigilCoreModule.register({ provide: SIGIL_MODULE_OPTIONS, useValue: settings }, { mapErrors });
  }

  /** Configures Sigil from other providers (a config service, a secrets store). */
  static forRootAsync(options: SigilModuleAsyncOptions): DynamicModule {
    const ways = [options.useFactory, options.useClass, options.useExisting].filter((w) => w !== undefined);
    if (ways.length !== 1) {
      throw new InvalidOptionError(
        `SigilModule.forRootAsync needs exactly one of useFactory, useClass or useExisting, got ${ways.length}.`,
        { option: 'useFactory | useClass | useExisting' },
      );
    }
    const extra: Provider[] = [];
    let provider: Provider;
    if (options.useFactory) {
      provider = {
        provide: SIGIL_MODULE_OPTIONS,
        useFactory: options.useFactory,
        inject: options.inject ?? [],
      };
    } else {
      const factory = (options.useClass ?? options.useExisting)!;
      if (options.useClass) extra.push({ provide: factory, useClass: factory });
      provider = {
        provide: SIGIL_MODULE_OPTIONS,
        useFactory: (built: SigilOptionsFactory) => built.createSigilOptions(),
        inject: [factory],
      };
    }
    return SigilCoreModule.register(provider, { mapErrors: options.mapErrors }, options.imports, extra);
  }

  /**
   * Makes programs injectable in the importing module: Nest builds each one (injecting its constructor
   * dependencies) and its saved state is loaded before the application starts; a missing or bad file fails
   * startup. The programs' dependencies must be visible here, as for any Nest module: pass the modules that
   * export them in `imports` (global modules need nothing).
   * @example SigilModule.forFeature([{ program: RAG, state: 'optimized/rag.json' }], { imports: [SearchModule] })
   */
  static forFeature(
    features: readonly ProgramFeature[],
    options: { imports?: ModuleMetadata['imports'] } = {},
  ): DynamicModule {
    const built = features.map(programProviders);
    return {
      module: SigilModule,
      imports: options.imports ?? [],
      providers: built.flatMap((b) => b.providers),
      exports: built.map((b) => b.token),
    };
  }
}
