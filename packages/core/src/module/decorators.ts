import 'reflect-metadata';
import { InvalidOptionError } from '../errors/sigil-error';

/** A `@Param` declaration: a user hyper-parameter the optimizer may tune among `choices`. */
export interface ParamDeclaration {
  readonly property: string;
  readonly choices: readonly unknown[];
  readonly desc?: string;
}

export const CHILDREN_KEY = Symbol('sigil:children');
export const PARAMS_KEY = Symbol('sigil:params');

function record<T>(key: symbol, ctor: Function, item: T): void {
  const own: T[] = Reflect.hasOwnMetadata(key, ctor) ? Reflect.getOwnMetadata(key, ctor) : [];
  own.push(item);
  Reflect.defineMetadata(key, own, ctor);
}

function childDecorator(kind: string): PropertyDecorator {
  return (prototype, property) => {
    if (typeof property === 'symbol')
      throw new InvalidOptionError(`@${kind}() cannot decorate a symbol-named property.`, {
        option: `@${kind}`,
      });
    record(CHILDREN_KEY, prototype.constructor, property);
  };
}

/**
 * Marks a property holding a predictor (Predict, ChainOfThought, …) as a learnable part of the program.
 * @example @Predictor() respond = new ChainOfThought(AnswerFromContext);
 */
export function Predictor(): PropertyDecorator {
  return childDecorator('Predictor');
}

/**
 * Marks a property holding a sub-program (or an array of modules) whose predictors are learnable too.
 * @example @Submodule() retrieve = new Retriever();
 */
export function Submodule(): PropertyDecorator {
  return childDecorator('Submodule');
}

/**
 * Marks a user hyper-parameter with the values an optimizer may choose from. The value it holds once the
 * program is constructed is its initial value, which `program.reset()` restores.
 * @example @Param({ choices: [1, 3, 5] }) k = 3;
 */
export function Param(options: { choices: readonly unknown[]; desc?: string }): PropertyDecorator {
  if (!options || !Array.isArray(options.choices) || options.choices.length === 0) {
    throw new InvalidOptionError(
      '@Param() needs a non-empty list of choices, e.g. @Param({ choices: [1, 3, 5] }).',
      {
        option: '@Param().choices',
      },
    );
  }
  return (prototype, property) => {
    if (typeof property === 'symbol')
      throw new InvalidOptionError('@Param() cannot decorate a symbol-named property.', { option: '@Param' });
    record<ParamDeclaration>(PARAMS_KEY, prototype.constructor, {
      property,
      choices: Object.freeze([...options.choices]),
      desc: options.desc,
    });
  };
}

/** Declared children and params of a class, parents first. */
export function declaredChildren(ctor: Function): ReadonlySet<string> {
  const names = new Set<string>();
  for (const c of chainOf(ctor))
    for (const n of (Reflect.getOwnMetadata(CHILDREN_KEY, c) as string[]) ?? []) names.add(n);
  return names;
}

export function declaredParams(ctor: Function): readonly ParamDeclaration[] {
  const out = new Map<string, ParamDeclaration>();
  for (const c of chainOf(ctor)) {
    for (const p of (Reflect.getOwnMetadata(PARAMS_KEY, c) as ParamDeclaration[]) ?? [])
      out.set(p.property, p);
  }
  return [...out.values()];
}

function chainOf(ctor: Function): Function[] {
  const chain: Function[] = [];
  for (let c: any = ctor; c && c !== Function.prototype && c !== Object; c = Object.getPrototypeOf(c))
    chain.unshift(c);
  return chain;
}
