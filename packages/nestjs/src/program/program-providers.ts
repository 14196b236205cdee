import { type FactoryProvider, type InjectionToken, Logger, type Provider, type Type } from '@nestjs/common';
import { InvalidOptionError, Module, ProgramStateError, savedParams } from '@sigil/core';
import { resolve } from 'node:path';
import { getProgramToken } from './inject-program';

/**
 * One program registered with `SigilModule.forFeature`.
 * @example { program: RAG, state: 'optimized/rag.json' }
 */
export interface ProgramFeature<P extends Module = Module> {
  /**
   * The program class. Nest builds it and injects its constructor dependencies, so decorate it with
   * `@Injectable()` (that is what makes TypeScript record the parameter types Nest reads).
   */
  program: Type<P>;
  /** A saved program (DSPy JSON), loaded at startup; relative paths are resolved from the working directory. */
  state?: string;
  /** Registers the class under `getProgramToken(program, name)` instead of the class, to have several. */
  name?: string;
  /** Explicit constructor arguments, for parameters Nest cannot infer (a function, an interface): `new program(...deps)`. */
  inject?: InjectionToken[];
  /** Builds the instance yourself from the `inject`ed dependencies (instead of `new program(...deps)`). */
  useFactory?: (...deps: any[]) => P | Promise<P>;
}

const unloadedTokens = new WeakMap<Function, Map<string, symbol>>();

/** The providers of one feature: the program built by Nest, then the same instance with its state loaded. */
export function programProviders(feature: ProgramFeature): { providers: Provider[]; token: InjectionToken } {
  const { program, state, name } = feature;
  checkFeature(feature);
  const token = getProgramToken(program, name);
  const load = async (instance: Module): Promise<Module> => {
    if (state !== undefined) await loadState(instance, program.name, resolve(state));
    return instance;
  };
  if (feature.inject || feature.useFactory) {
    const build = feature.useFactory ?? ((...deps: unknown[]) => new program(...deps));
    const provider: FactoryProvider = {
      provide: token,
      inject: feature.inject ?? [],
      useFactory: async (...deps: unknown[]) => load(await build(...deps)),
    };
    return { providers: [provider], token };
  }
  // Nest constructs the class under a private token (resolving its constructor), then an async factory loads
  // the state into it; Nest awaits that factory, so a bad state file fails startup.
  const unloaded = unloadedToken(program, name);
  return {
    providers: [
      { provide: unloaded, useClass: program },
      { provide: token, inject: [unloaded], useFactory: load },
    ],
    token,
  };
}

const bootLogger = new Logger('Sigil');

async function loadState(instance: Module, className: string, file: string): Promise<void> {
  try {
    await instance.load(file);
    const predictors = instance.namedPredictors();
    const demos = predictors.reduce((sum, [, p]) => sum + p.demos.length, 0);
    const params = savedParams(instance.dumpState());
    bootLogger.log(
      `Loaded ${file} into ${className}: ${predictors.length} predictor${predictors.length === 1 ? '' : 's'}, ` +
        `${demos} demo${demos === 1 ? '' : 's'}` +
        (Object.keys(params).length > 0 ? `, params ${JSON.stringify(params)}` : ''),
    );
  } catch (error) {
    if (error instanceof ProgramStateError) {
      throw new ProgramStateError(`SigilModule.forFeature(${className}): ${error.message}`, {
        file: error.file ?? file,
        path: error.path,
      });
    }
    throw new ProgramStateError(
      `SigilModule.forFeature(${className}): loading the saved program ${file} failed: ${(error as Error)?.message ?? error}`,
      { file },
    );
  }
}

function checkFeature(feature: ProgramFeature): void {
  const { program } = feature;
  if (typeof program !== 'function' || !(program.prototype instanceof Module)) {
    throw new InvalidOptionError(
      `SigilModule.forFeature: "program" must be a Program class (extends Program from @sigil/core), ` +
        `got ${typeof program === 'function' ? program.name : typeof program}.`,
    );
  }
  if (feature.useFactory && feature.inject === undefined && feature.useFactory.length > 0) {
    throw new InvalidOptionError(
      `SigilModule.forFeature(${program.name}): useFactory takes ${feature.useFactory.length} argument(s) but no ` +
        `"inject" list says what to pass.`,
    );
  }
  const needsArguments = program.length > 0 && !feature.inject && !feature.useFactory;
  if (needsArguments && !Reflect.getMetadata('design:paramtypes', program)) {
    throw new InvalidOptionError(
      `SigilModule.forFeature(${program.name}): its constructor takes ${program.length} argument(s) but Nest cannot ` +
        `see their types — decorate the class with @Injectable(), or list the arguments with "inject".`,
    );
  }
}

function unloadedToken(program: Function, name = ''): symbol {
  let byName = unloadedTokens.get(program);
  if (!byName) unloadedTokens.set(program, (byName = new Map()));
  let token = byName.get(name);
  if (!token)
    byName.set(
      name,
      (token = Symbol(`${program.name}${name ? `:${name}` : ''} (before its state is loaded)`)),
    );
  return token;
}
