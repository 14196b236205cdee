import { InvalidOptionError } from '../errors/sigil-error';
import { inheritedMetadata, recordMetadata } from '../metadata/store';

/** A `@Param` declaration: a user hyper-parameter the optimizer may tune among `choices`. */
export interface ParamDeclaration {
  readonly property: string;
  readonly choices: readonly unknown[];
  readonly desc?: string;
}

function childDecorator(kind: string): PropertyDecorator {
  return (prototype, property) => {
    if (typeof property === 'symbol') {
      throw new InvalidOptionError(`@${kind}() cannot decorate a symbol-named property.`, {
        option: `@${kind}`,
      });
    }
    recordMetadata('children', prototype.constructor, property);
  };
}

/**
 * Marks a property holding a predictor (Predict, ChainOfThought, …) as a learnable part of the program.
 * Only declared children are learnable: optimizers, `save`/`load` and `parameters()` skip the others.
 * @example @Predictor() respond = new ChainOfThought(AnswerFromContext);
 */
export function Predictor(): PropertyDecorator {
  return childDecorator('Predictor');
}

/**
 * Marks a property holding a sub-program (or an array or Map of modules) whose predictors are learnable too.
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
  const choices = Object.freeze([...options.choices]);
  return (prototype, property) => {
    if (typeof property === 'symbol') {
      throw new InvalidOptionError('@Param() cannot decorate a symbol-named property.', { option: '@Param' });
    }
    const declaration: ParamDeclaration = { property, choices, desc: options.desc };
    recordMetadata('params', prototype.constructor, declaration);
  };
}

/** The declared children of a class (its own and its parents'). */
export function declaredChildren(ctor: Function): readonly string[] {
  return inheritedMetadata<string>('children', ctor);
}

/** The `@Param`s of a class, parents first; a subclass redeclaring one replaces it in place. */
export function declaredParams(ctor: Function): readonly ParamDeclaration[] {
  const out = new Map<string, ParamDeclaration>();
  for (const p of inheritedMetadata<ParamDeclaration>('params', ctor)) out.set(p.property, p);
  return [...out.values()];
}
