import { loadProgram, saveProgram } from '../persist/file';
import { dumpState, loadState, type SavedProgram } from '../persist/state';
import { instrument, observing } from '../runtime/callbacks';
import type { Predict } from './predict';
import { declaredChildren, declaredParams, type ParamDeclaration } from './decorators';

/** A learnable part of a program, found by reflection: what optimizers read and write. */
export type Parameter =
  | { readonly kind: 'instructions'; readonly path: string; readonly predictor: Predict }
  | { readonly kind: 'demos'; readonly path: string; readonly predictor: Predict }
  | {
      readonly kind: 'param';
      readonly path: string;
      readonly owner: Module;
      readonly property: string;
      readonly choices: readonly unknown[];
      readonly desc?: string;
    };

/** What the reflection walk needs to know of a leaf predictor (Predict implements it). */
export interface PredictorLike {
  readonly isPredictor: true;
}

const warned = new Set<string>();

/** Runs a module call inside `instrument` (a span, callbacks) when anything observes it; else just runs it. */
export function observed<T>(name: string, inputs: unknown, fn: () => Promise<T>): Promise<T> {
  return observing() ? instrument('module', name, inputs, fn) : fn();
}

/**
 * The base of every module: built-ins (Predict, ChainOfThought, ReAct…) and user programs alike.
 * Children and `@Param`s are discovered by walking the instance's properties.
 */
export abstract class Module<I = any, O = any> {
  abstract forward(inputs: I): Promise<O>;

  /** Every leaf predictor with its stable dotted path (`respond.predict`), in declaration order. */
  namedPredictors(): [string, Predict][] {
    const out: [string, Predict][] = [];
    walk(this, '', new Set(), (path, module) => {
      if (isPredictor(module)) out.push([path || 'self', module as unknown as Predict]);
    });
    return out;
  }

  /** The learnable parameters: instructions and demos of each predictor, then every `@Param`. */
  parameters(): Parameter[] {
    const out: Parameter[] = [];
    const params: Parameter[] = [];
    walk(this, '', new Set(), (path, module) => {
      if (isPredictor(module)) {
        const p = path || 'self';
        const predictor = module as unknown as Predict;
        out.push({ kind: 'instructions', path: p, predictor });
        out.push({ kind: 'demos', path: p, predictor });
      }
      for (const decl of declaredParams(module.constructor)) params.push(paramOf(module, path, decl));
    });
    return [...out, ...params];
  }

  /** Calls `forward` over many inputs, at most `concurrency` at once; results keep the input order. */
  async batch(inputs: readonly I[], options: { concurrency?: number } = {}): Promise<O[]> {
    const limit = Math.max(1, options.concurrency ?? 8);
    const results = new Array<O>(inputs.length);
    let next = 0;
    const worker = async () => {
      while (next < inputs.length) {
        const i = next++;
        results[i] = await this.forward(inputs[i]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(limit, inputs.length) }, worker));
    return results;
  }

  /** A deep copy whose learnable state is independent of this one (services and functions are shared). */
  clone(): this {
    walk(this, '', new Set(), () => undefined);
    return cloneModule(this, new Map()) as this;
  }

  /** The learnable state in DSPy's saved-program JSON format. */
  dumpState(): SavedProgram {
    return dumpState(this);
  }

  /** Applies a saved state (Sigil's or DSPy's); checks everything first and changes nothing on error. */
  loadState(state: unknown): this {
    loadState(this, state);
    return this;
  }

  /** Saves the learnable state to a JSON file. @example await optimized.save('optimized/rag.json'); */
  save(path: string): Promise<void> {
    return saveProgram(this, path);
  }

  /** Loads a saved JSON file into this program. @example await new RAG(search).load('optimized/rag.json'); */
  async load(path: string): Promise<this> {
    await loadProgram(this, path);
    return this;
  }

  /**
   * Restores every predictor's instructions and demos (those it was constructed with), and every `@Param`
   * to its initial value. A `@Param`'s initial value is the one it holds when it is first seen: at the end
   * of the synchronous code that constructed a `Program` (field initialisers cannot be read earlier), or
   * at the first `parameters()`, `namedPredictors()`, `clone()`, `dumpState()`/`save()`, `load()` or
   * `reset()` if one comes first. A clone keeps its original's initial values.
   * @example program.k = 5; await optimizer.compile(program); program.reset(); // k back to its initial value
   */
  reset(): void {
    walk(this, '', new Set(), (_path, module) => {
      (module as unknown as { resetOwnState?: () => void }).resetOwnState?.();
      for (const decl of declaredParams(module.constructor)) {
        const initial = initialParams.get(module)?.get(decl.property);
        if (initial !== undefined) (module as any)[decl.property] = initial.value;
      }
    });
  }
}

const initialParams = new WeakMap<object, Map<string, { value: unknown }>>();

/** Remembers the current value of each `@Param` of `module` not remembered yet: what `reset()` restores. */
export function rememberInitialParams(module: Module): void {
  const declared = declaredParams(module.constructor);
  if (declared.length === 0) return;
  let initial = initialParams.get(module);
  if (!initial) initialParams.set(module, (initial = new Map()));
  for (const decl of declared) {
    if (!initial.has(decl.property)) initial.set(decl.property, { value: (module as any)[decl.property] });
  }
}

function paramOf(module: Module, path: string, decl: ParamDeclaration): Parameter {
  return {
    kind: 'param',
    path: path ? `${path}.${decl.property}` : decl.property,
    owner: module,
    property: decl.property,
    choices: decl.choices,
    desc: decl.desc,
  };
}

export function isPredictor(value: unknown): boolean {
  return (
    typeof value === 'object' && value !== null && (value as { isPredictor?: unknown }).isPredictor === true
  );
}

function isModule(value: unknown): value is Module {
  return value instanceof Module;
}

/** Visits `module` and its descendants depth-first, with DSPy's path naming (`a.b`, `items[0]`, `map['k']`). */
export function walk(
  module: Module,
  path: string,
  seen: Set<object>,
  visit: (path: string, module: Module) => void,
): void {
  if (seen.has(module)) return;
  seen.add(module);
  rememberInitialParams(module);
  visit(path, module);
  if (isPredictor(module)) return;
  const declared = declaredChildren(module.constructor);
  const join = (key: string) => (path ? `${path}.${key}` : key);
  for (const key of Object.keys(module)) {
    const value = (module as any)[key];
    if (isModule(value)) {
      warnUndeclared(module, key, declared);
      walk(value, join(key), seen, visit);
    } else if (Array.isArray(value) && value.some(isModule)) {
      warnUndeclared(module, key, declared);
      value.forEach((item, i) => isModule(item) && walk(item, `${join(key)}[${i}]`, seen, visit));
    } else if (value instanceof Map && [...value.values()].some(isModule)) {
      warnUndeclared(module, key, declared);
      for (const [k, item] of value)
        if (isModule(item)) walk(item, `${join(key)}['${String(k)}']`, seen, visit);
    }
  }
}

function warnUndeclared(module: Module, key: string, declared: ReadonlySet<string>): void {
  const ctor = module.constructor;
  if (declared.has(key) || (ctor as { builtin?: boolean }).builtin) return;
  const id = `${ctor.name}.${key}`;
  if (warned.has(id)) return;
  warned.add(id);
  process.emitWarning(
    `${ctor.name}.${key} holds a module but is not decorated; it is learnable all the same. ` +
      `Mark it with @Predictor() or @Submodule() to make that explicit.`,
    { code: 'SIGIL_UNDECORATED_MODULE' },
  );
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
  const initial = initialParams.get(module);
  if (initial) initialParams.set(copy, new Map(initial));
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
