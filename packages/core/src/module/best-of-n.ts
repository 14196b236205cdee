import { context, type Settings, settings, type TraceRecord } from '../runtime/settings';
import { ModuleRunError } from './errors';
import { Module, type ModuleInputs, type ModuleOutputs, observed } from './module';
import { InvalidOptionError } from '../errors/sigil-error';
import { Submodule } from './decorators';
import { checkNumber, COUNT, FINITE, POSITIVE_COUNT } from '../errors/option-checks';
import { logWarning } from '../logging/log';

export type { ModuleInputs, ModuleOutputs } from './module';

/** Scores a prediction (higher is better); may be async. */
export type RewardFn<I = any, O = any> = (inputs: I, prediction: O) => number | Promise<number>;

/** Options of `BestOfN`. */
export interface BestOfNOptions<I, O> {
  /** Attempts at most (each with its own `rolloutId`, at temperature 1). */
  n: number;
  rewardFn: RewardFn<I, O>;
  /** Stop at the first attempt whose reward reaches it. */
  threshold: number;
  /** Failed attempts tolerated, counted as DSPy counts them (default `n`). */
  failCount?: number;
}

/** Per-call scratch space shared by the hooks of one `forward` (Refine keeps its advice here). */
export type AttemptState = Record<string, unknown>;

/** One finished attempt. */
export interface Attempt<I, O> {
  readonly index: number;
  readonly rolloutId: number;
  readonly inputs: I;
  readonly prediction: O;
  readonly trace: readonly TraceRecord[];
  readonly reward: number;
}

/**
 * Runs a module up to `n` times with different rollout ids (fresh samples, temperature 1) and returns the
 * prediction with the highest reward, stopping early once one reaches `threshold` — DSPy's BestOfN.
 * A failed attempt yields nothing and the run goes on, until more than `failCount` attempts have failed.
 * @example const best = new BestOfN(new ChainOfThought(QA), { n: 3, rewardFn: (x, p) => (p.answer.length < 20 ? 1 : 0), threshold: 1 });
 */
export class BestOfN<M extends Module = Module> extends Module<ModuleInputs<M>, ModuleOutputs<M>> {
  @Submodule() readonly module: M;
  n: number;
  rewardFn: RewardFn<ModuleInputs<M>, ModuleOutputs<M>>;
  threshold: number | undefined;
  failCount: number;

  constructor(module: M, options: BestOfNOptions<NoInfer<ModuleInputs<M>>, NoInfer<ModuleOutputs<M>>>) {
    super();
    const kind = new.target.name;
    if (!(module instanceof Module))
      throw new InvalidOptionError(`${kind} needs a module (Predict, ChainOfThought, a Program…).`, {
        option: 'module',
      });
    checkNumber(options?.n, 'n', POSITIVE_COUNT, kind);
    if (options?.n === undefined) {
      throw new InvalidOptionError(`${kind}: n (the number of attempts) is required, got undefined.`, {
        option: 'n',
      });
    }
    checkNumber(options.threshold, 'threshold', FINITE, kind);
    checkNumber(options.failCount, 'failCount', COUNT, kind);
    if (typeof options.rewardFn !== 'function')
      throw new InvalidOptionError(`${kind}: rewardFn must be a function.`, { option: 'rewardFn' });
    this.module = module;
    this.n = options.n;
    this.rewardFn = options.rewardFn;
    this.threshold = options.threshold;
    this.failCount = options.failCount ?? options.n;
  }

  forward(inputs: ModuleInputs<M>): Promise<ModuleOutputs<M>> {
    return observed(`${this.constructor.name}(${this.module.constructor.name})`, inputs, () =>
      this.attempts(inputs),
    );
  }

  /** Settings for the next attempt besides rollout id, temperature and trace (Refine adds its hints). */
  protected attemptSettings(_current: Readonly<Settings>, _state: AttemptState): Partial<Settings> {
    return {};
  }

  /** Called after an attempt that did not reach the threshold, unless it was the last (Refine asks for advice). */
  protected async afterAttempt(
    _attempt: Attempt<ModuleInputs<M>, ModuleOutputs<M>>,
    _state: AttemptState,
  ): Promise<void> {}

  private async attempts(inputs: ModuleInputs<M>): Promise<ModuleOutputs<M>> {
    const current = settings();
    const configured = current.lmOptions?.rolloutId;
    const start = typeof configured === 'number' ? configured : 0;
    let best: Attempt<ModuleInputs<M>, ModuleOutputs<M>> | undefined;
    let failCount = this.failCount;
    const errors: unknown[] = [];
    const state: AttemptState = {};
    for (let index = 0; index < this.n; index++) {
      const rolloutId = start + index;
      try {
        const attempt = await context(
          {
            ...this.attemptSettings(current, state),
            lmOptions: { ...current.lmOptions, rolloutId, temperature: 1 },
            trace: [],
          },
          async () => {
            const prediction = (await this.module.forward(inputs)) as ModuleOutputs<M>;
            // Not including the reward function's own calls, as DSPy.
            const trace = [...(settings().trace ?? [])];
            const reward = await this.rewardFn(inputs, prediction);
            return { index, rolloutId, inputs, prediction, trace, reward };
          },
        );
        if (!best || attempt.reward > best.reward) best = attempt;
        if (this.threshold !== undefined && attempt.reward >= this.threshold) break;
        if (index === this.n - 1) break;
        await this.afterAttempt(attempt, state);
      } catch (error) {
        errors.push(error);
        logWarning(
          'SIGIL_ATTEMPT_FAILED',
          `${this.constructor.name}: attempt ${index + 1} failed with rollout id ${rolloutId}: ${(error as Error)?.message ?? error}`,
        );
        if (index > failCount) throw error;
        failCount--;
      }
    }
    if (!best) {
      throw new ModuleRunError(
        `${this.constructor.name}(${this.module.constructor.name}): all ${errors.length} attempt(s) failed; ` +
          `the last error was: ${(errors[errors.length - 1] as Error)?.message ?? errors[errors.length - 1]}`,
        { errors },
      );
    }
    if (best.trace.length > 0) current.trace?.push(...best.trace);
    return best.prediction;
  }
}
