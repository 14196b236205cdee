import { instrument, observing } from '../runtime/callbacks';
import { trackedCall } from '../runtime/usage-tracker';
import { describeAgent } from '../runtime/gen-ai';
import { Module } from './module';
import { rememberInitialParams } from './parameters';

/**
 * The base class of user compositions. Mark children with `@Predictor()` / `@Submodule()` and tunable
 * hyper-parameters with `@Param()`; optimizers find them by reflection.
 * @example class RAG extends Program { @Predictor() respond = new ChainOfThought(Answer); async forward(x) { … } }
 */
export abstract class Program<I = any, O = any> extends Module<I, O> {
  constructor() {
    super();
    this.instrumentForward();
    // A subclass's field initialisers run after this constructor; once they have, `@Param`s hold the
    // initial values `reset()` restores.
    queueMicrotask(() => rememberInitialParams(this));
  }

  /** Clones get their own instrumented `forward` (the copy skips the constructor). */
  afterClone(): void {
    this.instrumentForward();
  }

  // Wraps the subclass's forward per instance so callbacks and spans see every program call.
  private instrumentForward(): void {
    const forward = Object.getPrototypeOf(this).forward as (
      this: this,
      inputs: I,
      ...rest: unknown[]
    ) => Promise<O>;
    Object.defineProperty(this, 'forward', {
      enumerable: false,
      configurable: true,
      writable: true,
      value: (inputs: I, ...rest: unknown[]) => {
        const call = () => forward.call(this, inputs, ...rest);
        // Tracked: the result (a Prediction or any object) remembers the usage of every LM call inside.
        return trackedCall(
          observing()
            ? () =>
                instrument('module', this.constructor.name, inputs, call, {
                  describe: () => describeAgent(this.constructor.name),
                })
            : call,
        );
      },
    });
  }
}
