import 'reflect-metadata';

/**
 * The one store of Sigil's decorator metadata, in the manner of type-graphql's MetadataStorage: decorators
 * only `record` plain descriptions here; readers get them through `ownMetadata` / `inheritedMetadata`,
 * which walk a class's prototype chain once (`classChain`, cached) and cache the result per class.
 *
 * The record lives on the class itself through `reflect-metadata` under a `Symbol.for` key, so two copies
 * of `@sigil/core` in one process (a CLI and a project each bringing one) read each other's decorators.
 */

/** What each kind of record holds; the readers in signature/ and module/ give them their meaning. */
export type MetadataKind = 'signature' | 'fields' | 'members' | 'children' | 'params' | 'tools';

const KEY = Symbol.for('sigil.metadata');

type Records = Partial<Record<MetadataKind, unknown[]>>;

const chains = new WeakMap<Function, readonly Function[]>();
const inherited = new WeakMap<Function, Partial<Record<MetadataKind, readonly unknown[]>>>();

/** Appends one record of `kind` to the class `target` (called by decorators, at class definition). */
export function recordMetadata(kind: MetadataKind, target: Function, item: unknown): void {
  let records = Reflect.getOwnMetadata(KEY, target) as Records | undefined;
  if (!records) Reflect.defineMetadata(KEY, (records = {}), target);
  (records[kind] ??= []).push(item);
  inherited.delete(target);
}

/** The records of `kind` declared on `target` itself (not its parents), in declaration order. */
export function ownMetadata<T>(kind: MetadataKind, target: Function): readonly T[] {
  return ((Reflect.getOwnMetadata(KEY, target) as Records | undefined)?.[kind] ?? []) as T[];
}

/** The records of `kind` of `target` and its parent classes, parents first; computed once per class. */
export function inheritedMetadata<T>(kind: MetadataKind, target: Function): readonly T[] {
  let cached = inherited.get(target);
  if (!cached) inherited.set(target, (cached = {}));
  let out = cached[kind];
  if (!out) {
    out = Object.freeze(classChain(target).flatMap((c) => ownMetadata<unknown>(kind, c)));
    cached[kind] = out;
  }
  return out as readonly T[];
}

/** The class and its ancestors below `Object`, root first (cached per class). */
export function classChain(target: Function): readonly Function[] {
  let chain = chains.get(target);
  if (!chain) {
    const out: Function[] = [];
    for (let c: unknown = target; typeof c === 'function' && c !== Function.prototype && c !== Object;) {
      out.unshift(c as Function);
      c = Object.getPrototypeOf(c);
    }
    chain = Object.freeze(out);
    chains.set(target, chain);
  }
  return chain;
}
