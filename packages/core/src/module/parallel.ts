import { Example } from '../data/example';
import { ModuleRunError } from './errors';
import { Module, type ModuleInputs, type ModuleOutputs, observed } from './module';
import { InvalidOptionError } from '../errors/sigil-error';
import { Submodule } from './decorators';
import { drainConcurrently } from '../runtime/pool';
import { checkNumber, POSITIVE_COUNT } from '../errors/option-checks';

/** Options of `Parallel`. */
export interface ParallelOptions<R extends boolean = false> {
  /** Calls in flight at once (default 8). */
  concurrency?: number;
  /** Failures tolerated before the run stops with a `ModuleRunError` (default 10, as DSPy). */
  maxErrors?: number;
  /** Resolve to `{ results, failed }` instead of the results alone (DSPy's `return_failed_examples`). */
  returnFailed?: R;
}

/** An input whose call failed, with its position and the error. */
export interface ParallelFailure<I> {
  readonly index: number;
  readonly inputs: I;
  readonly error: unknown;
}

/** Results in input order (`null` where the call failed) and the failures. */
export interface ParallelReport<I, O> {
  readonly results: (O | null)[];
  readonly failed: ParallelFailure<I>[];
}

/** What `Parallel.forward` resolves to: the results, or a report when `returnFailed` is set. */
export type ParallelOutput<M, R extends boolean> = R extends true
  ? ParallelReport<ModuleInputs<M>, ModuleOutputs<M>>
  : (ModuleOutputs<M> | null)[];

/**
 * Runs a module over many inputs, at most `concurrency` at once, keeping the input order — DSPy's Parallel.
 * A failed call leaves `null` in its place and the run goes on, until more than `maxErrors` have failed.
 * Inputs may be plain objects or `Example`s (their inputs are passed). Each call sees the caller's settings.
 * @example const answers = await new Parallel(qa, { concurrency: 4 }).forward(questions.map((question) => ({ question })));
 */
export class Parallel<M extends Module = Module, R extends boolean = false> extends Module<
  readonly ModuleInputs<M>[],
  ParallelOutput<M, R>
> {
  @Submodule() readonly module: M;
  concurrency: number;
  maxErrors: number;
  readonly returnFailed: R;

  constructor(module: M, options: ParallelOptions<R> = {}) {
    super();
    if (!(module instanceof Module))
      throw new InvalidOptionError('Parallel needs a module (Predict, ChainOfThought, a Program…).', {
        option: 'module',
      });
    checkNumber(options.concurrency, 'concurrency', POSITIVE_COUNT, 'Parallel');
    checkNumber(options.maxErrors, 'maxErrors', { min: 0, infinite: true }, 'Parallel');
    this.module = module;
    this.concurrency = options.concurrency ?? 8;
    this.maxErrors = options.maxErrors ?? 10;
    this.returnFailed = (options.returnFailed ?? false) as R;
  }

  forward(inputs: readonly ModuleInputs<M>[]): Promise<ParallelOutput<M, R>> {
    if (!Array.isArray(inputs)) {
      return Promise.reject(
        new InvalidOptionError(`Parallel.forward takes an array of inputs, got ${typeof inputs}.`, {
          option: 'inputs',
        }),
      );
    }
    return observed(`Parallel(${this.module.constructor.name})`, inputs, () => this.run(inputs));
  }

  private async run(inputs: readonly ModuleInputs<M>[]): Promise<ParallelOutput<M, R>> {
    const results = new Array<ModuleOutputs<M> | null>(inputs.length).fill(null);
    const failed: ParallelFailure<ModuleInputs<M>>[] = [];
    let next = 0;
    let stopped = false;
    await drainConcurrently(
      Math.min(this.concurrency, inputs.length),
      () => (next < inputs.length ? next++ : undefined),
      async (index) => {
        const item = inputs[index];
        try {
          const args = Example.isExample(item) ? (item as unknown as Example).inputs() : item;
          results[index] = (await this.module.forward(args)) as ModuleOutputs<M>;
        } catch (error) {
          failed.push({ index, inputs: item, error });
          if (failed.length > this.maxErrors) stopped = true;
        }
      },
      () => stopped,
    );
    failed.sort((a, b) => a.index - b.index);
    if (stopped) {
      throw new ModuleRunError(
        `Parallel(${this.module.constructor.name}): ${failed.length} call(s) failed, more than maxErrors = ${this.maxErrors}; ` +
          `the run was stopped. First failure (input ${failed[0].index}): ${(failed[0].error as Error)?.message ?? failed[0].error}`,
        { errors: failed.map((f) => f.error) },
      );
    }
    return (this.returnFailed ? { results, failed } : results) as ParallelOutput<M, R>;
  }
}
