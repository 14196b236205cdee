import { ProgramStateError } from '../persist/errors';
import type { ParameterHandle } from '../persist/parameter';
import { declaredParams, type ParamDeclaration } from './decorators';
import type { PredictorHandle } from './predictor-state';
import { isPredictor, type Walkable, walkModules } from './walk';

/** The handles of one predictor of a program, by kind. */
export interface PredictorParameters {
  readonly path: string;
  readonly instructions: PredictorHandle<string>;
  readonly demos: PredictorHandle<readonly Readonly<Record<string, unknown>>[]>;
  readonly fields: PredictorHandle<readonly { prefix: string; description?: string }[]>;
  readonly lm: PredictorHandle<import('../lm/types').LanguageModel | undefined>;
}

const initialParams = new WeakMap<object, Map<string, { value: unknown }>>();

/** Remembers the current value of each `@Param` of `module` not remembered yet: what `reset()` restores. */
export function rememberInitialParams(module: object): void {
  const declared = declaredParams(module.constructor);
  if (declared.length === 0) return;
  let initial = initialParams.get(module);
  if (!initial) initialParams.set(module, (initial = new Map()));
  for (const decl of declared) {
    if (!initial.has(decl.property)) initial.set(decl.property, { value: (module as any)[decl.property] });
  }
}

/** Copies what `reset()` restores from one module to its clone. */
export function copyInitialParams(from: object, to: object): void {
  const initial = initialParams.get(from);
  if (initial) initialParams.set(to, new Map(initial));
}

const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

function paramHandle(module: object, path: string, decl: ParamDeclaration): ParameterHandle {
  const fullPath = path ? `${path}.${decl.property}` : decl.property;
  const target = module as Record<string, unknown>;
  const choiceOf = (value: unknown, saved = false) => {
    const index = decl.choices.findIndex((c) => same(c, value));
    if (index < 0) {
      throw new ProgramStateError(
        `${saved ? 'Saved ' : ''}@Param "${fullPath}" = ${JSON.stringify(value)} is not one of its choices ${JSON.stringify(decl.choices)}`,
        { path: fullPath },
      );
    }
    return decl.choices[index];
  };
  return {
    key: `${fullPath}:param`,
    path: fullPath,
    kind: 'param',
    learnable: true,
    choices: decl.choices,
    desc: decl.desc,
    slot: ['metadata', 'sigil', 'params', fullPath],
    get: () => target[decl.property],
    set: (value) => {
      target[decl.property] = choiceOf(value);
    },
    reset: () => {
      const initial = initialParams.get(module)?.get(decl.property);
      if (initial !== undefined) target[decl.property] = initial.value;
    },
    encode: (value = target[decl.property]) => value,
    decode: (json) => choiceOf(json, true),
  };
}

/**
 * Every parameter handle of `root`, from one walk of its declared modules: each predictor's state
 * (demos, instructions, field texts, LM) in walk order, then every `@Param`.
 */
export function parametersOf(root: Walkable, isModule: (value: unknown) => boolean): ParameterHandle[] {
  const predictors: ParameterHandle[] = [];
  const params: ParameterHandle[] = [];
  walkModules(root, isModule, (path, module) => {
    rememberInitialParams(module);
    if (isPredictor(module)) predictors.push(...module.ownParameters(path || 'self'));
    for (const decl of declaredParams(module.constructor)) params.push(paramHandle(module, path, decl));
  });
  return [...predictors, ...params];
}

/** The handles of each predictor, grouped by predictor path, in walk order. */
export function groupByPredictor(handles: readonly ParameterHandle[]): PredictorParameters[] {
  const groups = new Map<string, Record<string, ParameterHandle>>();
  for (const handle of handles) {
    if (handle.predictor === undefined) continue;
    let group = groups.get(handle.predictor);
    if (!group) groups.set(handle.predictor, (group = {}));
    group[handle.kind] = handle;
  }
  return [...groups].map(([path, group]) => ({ path, ...group }) as unknown as PredictorParameters);
}
