import type { ParameterHandle } from '../persist/parameter';
import { declaredChildren } from './decorators';
import { logWarning } from '../logging/log';

/** What the walk needs of a module: Module implements it (kept structural so this file imports no class). */
export interface Walkable {
  readonly constructor: Function;
}

/** A leaf that owns learnable state of its own (Predict): the walk asks it for its handles. */
export interface Learnable {
  readonly isPredictor: true;
  ownParameters(path: string): ParameterHandle[];
}

/** True for a predictor: a module whose own state is learnable (Predict). */
export function isPredictor(value: unknown): value is Learnable {
  return (
    typeof value === 'object' && value !== null && (value as { isPredictor?: unknown }).isPredictor === true
  );
}

const warned = new Set<string>();

/**
 * Visits `root` and its declared descendants depth-first, with DSPy's path naming (`a.b`, `items[0]`,
 * `map['k']`). Only properties marked `@Predictor()` / `@Submodule()` (built-in modules mark theirs) are
 * followed: a module held by an undeclared property is not part of the program's learnable state, and is
 * reported once with a warning saying how to declare it.
 */
export function walkModules(
  root: Walkable,
  isModule: (value: unknown) => boolean,
  visit: (path: string, module: Walkable) => void,
): void {
  const seen = new Set<object>();
  const go = (module: Walkable, path: string) => {
    if (seen.has(module)) return;
    seen.add(module);
    visit(path, module);
    if (isPredictor(module)) return;
    const declared = new Set(declaredChildren(module.constructor));
    const join = (key: string) => (path ? `${path}.${key}` : key);
    for (const key of Object.keys(module)) {
      const value = (module as Record<string, unknown>)[key];
      const holds =
        isModule(value) ||
        (Array.isArray(value) && value.some(isModule)) ||
        (value instanceof Map && [...value.values()].some(isModule));
      if (!holds) continue;
      if (!declared.has(key)) {
        warnUndeclared(module, key);
        continue;
      }
      if (isModule(value)) go(value as Walkable, join(key));
      else if (Array.isArray(value))
        value.forEach((item, i) => isModule(item) && go(item, `${join(key)}[${i}]`));
      else
        for (const [k, item] of value as Map<unknown, unknown>)
          if (isModule(item)) go(item as Walkable, `${join(key)}['${String(k)}']`);
    }
  };
  go(root, '');
}

function warnUndeclared(module: Walkable, key: string): void {
  const id = `${module.constructor.name}.${key}`;
  if (warned.has(id)) return;
  warned.add(id);
  logWarning(
    'SIGIL_UNDECLARED_MODULE',
    `${id} holds a module but is not declared, so optimizers, save() and load() leave it alone. ` +
      `Mark it with @Predictor() (or @Submodule() for a sub-program) to make it learnable.`,
  );
}
