import { instrument } from '../runtime/callbacks';
import { settings } from '../runtime/settings';
import { Module } from './module';

/**
 * The base class of user compositions. Mark children with `@Predictor()` / `@Submodule()` and tunable
 * hyper-parameters with `@Param()`; optimizers find them by reflection.
 * @example class RAG extends Program { @Predictor() respond = new ChainOfThought(Answer); async forward(x) { … } }
 */
export abstract class Program<I = any, O = any> extends Module<I, O> {
  constructor() {
    super();
    // Wrap the subclass's forward once per instance so callbacks and spans see every program call.
    const forward = this.forward;
    Object.defineProperty(this, 'forward', {
      enumerable: false,
      configurable: true,
      writable: true,
      value: (inputs: I, ...rest: unknown[]) => {
        const call = () => forward.call(this, inputs, ...(rest as []));
        return settings().callbacks?.length ? instrument('module', this.constructor.name, inputs, call) : call();
      },
    });
  }
}
