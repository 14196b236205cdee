import { type DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import {
  SIGIL_MODULE_OPTIONS,
  type SigilModuleAsyncOptions,
  type SigilModuleOptions,
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
    return SigilCoreModule.register(
      { provide: SIGIL_MODULE_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] },
      { mapErrors: options.mapErrors },
      options.imports,
    );
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
