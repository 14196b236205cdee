import { type Demo } from '../adapter/adapter';
import { readStateFile, writeStateFile } from '../persist/file';
import type { ParameterHandle } from '../persist/parameter';
import { dumpState, loadState, type LoadStateOptions, type SavedProgram } from '../persist/state';
import { instrument, observing } from '../runtime/callbacks';
import { trackedCall } from '../runtime/usage-tracker';
import { mapConcurrently } from '../runtime/pool';
import { withLMMiddleware } from '../runtime/settings';
import { ProviderBatcher, type ProviderBatchOptions } from '../lm/batch/provider-batcher';
import { copyInitialParams, groupByPredictor, parametersOf, type PredictorParameters } from './parameters';
import { isPredictor, walkModules } from './walk';
import { type StreamChunk, type StreamOptions, streamModule } from './streaming';

/**
 * The inputs a module's `forward` takes, read from its own `forward` declaration — so a user's
 * `class RAG extends Program { forward(x: { question: string }) … }` keeps its types inside `Parallel`,
 * `BestOfN`, `Refine`, `Ensemble` and `Evaluate`.
 */
export type ModuleInputs<M> = M extends {
  /** The module's own forward. */
  forward(inputs: infer I, ...rest: any[]): any;
}
  ? I
  : never;

/** What a module's `forward` resolves to (read from its own `forward` declaration). */
export type ModuleOutputs<M> = M extends {
  /** The module's own forward. */
  forward(...args: any[]): Promise<infer O>;
}
  ? O
  : never;

/** Options of `module.batch()`. */
export interface BatchOptions {
  /** Calls in flight at once (default 8; with `provider`, every input). */
  concurrency?: number;
  /** Send the LM calls through the provider's Batch API: a `ProviderBatcher`, or its options. */
  provider?: ProviderBatcher | ProviderBatchOptions;
}

/**
 * Runs a module call as a tracked call (its result remembers the usage of the LM calls inside it, see
 * `lmUsageOf`), inside `instrument` (a span, callbacks) when anything observes it.
 */
export function observed<T>(name: string, inputs: unknown, fn: () => Promise<T>): Promise<T> {
  return trackedCall(observing() ? () => instrument('module', name, inputs, fn) : fn);
}

/**
 * The base of every module: built-ins (Predict, ChainOfThought, ReAct…) and user programs alike.
 * Learnable state is found by one walk of the declared children (`@Predictor()`, `@Submodule()`) and the
 * `@Param`s, and read and written only through parameter handles (`parameters()`).
 */
export abstract class Module<I = any, O = any> {
  /** Runs the module on one set of inputs. */
  abstract forward(inputs: I): Promise<O>;

  /**
   * The learnable state as parameter handles: each predictor's demos, instructions, field texts and LM
   * binding, then every `@Param`. Optimizers, save/load, the CLI and NestJS use nothing else.
   * @example for (const p of program.parameters()) console.log(p.key, p.encode());
   */
  parameters(): ParameterHandle[] {
    return parametersOf(this, isModule);
  }

  /**
   * Runs the module and streams it (DSPy's `streamify`): each output field's text as the LM writes it
   * (`{ type: 'field', predictor, field, delta }`), status chunks when modules and tools start, then the result
   * (`{ type: 'prediction', prediction }`). Breaking out of the loop aborts the LM calls in flight.
   * @example for await (const chunk of program.stream({ question })) if (chunk.type === 'field') write(chunk.delta);
   */
  stream(inputs: I, options: StreamOptions = {}): AsyncGenerator<StreamChunk<O>, void, undefined> {
    const paths = new Map<object, string>();
    for (const [path, predictor] of declaredPredictors(this)) paths.set(predictor, path);
    return streamModule(this, inputs, paths, options);
  }

  /**
   * Calls `forward` over many inputs, at most `concurrency` at once; results keep the input order. With
   * `provider`, the LM calls go through the provider's Batch API (about half the price, answers within
   * hours): every input runs at once (unless `concurrency` says otherwise) so their calls share batches.
   * @example await program.batch(inputs, { provider: { journal: '.sigil/batches.jsonl' } });
   */
  batch(inputs: readonly I[], options: BatchOptions = {}): Promise<O[]> {
    const { provider } = options;
    if (!provider) {
      return mapConcurrently(inputs, Math.max(1, options.concurrency ?? 8), (input) => this.forward(input));
    }
    const batcher = provider instanceof ProviderBatcher ? provider : new ProviderBatcher(provider);
    const concurrency = Math.max(1, options.concurrency ?? inputs.length);
    return withLMMiddleware(batcher.middleware, () =>
      mapConcurrently(inputs, concurrency, (input) => this.forward(input)),
    );
  }

  /** A deep copy whose learnable state is independent of this one (services and functions are shared). */
  clone(): this {
    this.parameters();
    return cloneModule(this, new Map()) as this;
  }

  /** The learnable state in DSPy's saved-program JSON format. */
  dumpState(): SavedProgram {
    return dumpState(this.parameters());
  }

  /**
   * Applies a saved state (Sigil's or DSPy's, or with `{ partial: true }` a patch such as an optimizer's
   * candidate); checks everything first and changes nothing on error.
   */
  loadState(state: unknown, options: Omit<LoadStateOptions, 'program'> = {}): this {
    loadState(this.parameters(), state, { ...options, program: this.constructor.name });
    return this;
  }

  /** Saves the learnable state to a JSON file. @example await optimized.save('optimized/rag.json'); */
  save(path: string): Promise<void> {
    return writeStateFile(path, this.dumpState());
  }

  /** Loads a saved JSON file into this program. @example await new RAG(search).load('optimized/rag.json'); */
  async load(path: string): Promise<this> {
    const state = await readStateFile(path);
    loadState(this.parameters(), state, { file: path, program: this.constructor.name });
    return this;
  }

  /**
   * Restores every parameter: predictors' instructions and field texts to those of their signature, demos
   * to none, and every `@Param` to its initial value — the one it holds when it is first seen: at the end of
   * the synchronous code that constructed a `Program` (field initialisers cannot be read earlier), or at the
   * first `parameters()`, `clone()`, `dumpState()`/`save()`, `load()` or `reset()` if one comes first. A
   * clone keeps its original's initial values.
   * @example program.k = 5; await optimizer.compile(program); program.reset(); // k back to its initial value
   */
  reset(): void {
    for (const handle of this.parameters()) handle.reset();
  }
}

/** The parameter handles of each declared predictor of `program`, grouped by predictor path. */
export function predictorsOf(program: Module): PredictorParameters[] {
  return groupByPredictor(program.parameters());
}

/** Demos as a fresh plain array of fresh objects (what a handle's `set` takes). */
export function copyDemos(demos: readonly Demo[]): Demo[] {
  return demos.map((demo) => ({ ...demo }));
}

/** Every declared leaf predictor of `program` with its path (what `namedPredictors()` returns). */
export function declaredPredictors(program: Module): [string, Module][] {
  const out: [string, Module][] = [];
  walkModules(program, isModule, (path, module) => {
    if (isPredictor(module)) out.push([path || 'self', module as unknown as Module]);
  });
  return out;
}

function isModule(value: unknown): value is Module {
  return value instanceof Module;
}

function cloneModule(module: Module, copies: Map<object, object>): Module {
  const done = copies.get(module);
  if (done) return done as Module;
  const copy = Object.create(Object.getPrototypeOf(module)) as Module;
  copies.set(module, copy);
  for (const key of Object.keys(module)) {
    (copy as any)[key] = cloneValue((module as any)[key], copies);
  }
  (copy as unknown as { afterClone?: () => void }).afterClone?.();
  copyInitialParams(module, copy);
  return copy;
}

function cloneValue(value: unknown, copies: Map<object, object>): unknown {
  if (isModule(value)) return cloneModule(value, copies);
  if (Array.isArray(value) && value.some(isModule)) return value.map((v) => cloneValue(v, copies));
  if (value instanceof Map && [...value.values()].some(isModule)) {
    return new Map([...value].map(([k, v]) => [k, cloneValue(v, copies)]));
  }
  return value;
}
