import {
  type Module,
  type ModuleInputs,
  type ModuleOutputs,
  Program,
  seededRandom,
  Submodule,
} from '@sigil/core';
import { OptimizerError } from '../optimizer/errors';

/** Options of `Ensemble`. */
export interface EnsembleOptions<O, R> {
  /** Combines the members' outputs (e.g. core's `majority`); without one, `forward` returns them all. */
  reduce?: (outputs: O[]) => R | Promise<R>;
  /** Run only this many members per call, drawn at random (seeded); default: all. */
  size?: number;
  /** Seeds the draw of `size` members (default 0). */
  seed?: number;
}

/**
 * Programs run together on each input; their outputs are combined by `reduce`. Members run concurrently.
 * Their predictors stay learnable (paths `programs[0].…`), so an ensemble can be saved and loaded.
 */
export class EnsembledProgram<I = any, O = any, R = O[]> extends Program<I, R> {
  @Submodule() programs: Module<I, O>[];
  private readonly random: () => number;

  constructor(
    programs: Module<I, O>[],
    private readonly options: EnsembleOptions<O, R>,
  ) {
    super();
    this.programs = programs;
    this.random = seededRandom(options.seed ?? 0);
  }

  async forward(inputs: I): Promise<R> {
    const members = this.options.size ? this.draw(this.options.size) : this.programs;
    const outputs = await Promise.all(members.map((program) => program.forward(inputs)));
    return this.options.reduce ? this.options.reduce(outputs) : (outputs as unknown as R);
  }

  private draw(size: number): Module<I, O>[] {
    const pool = [...this.programs];
    const chosen: Module<I, O>[] = [];
    while (chosen.length < size && pool.length > 0)
      chosen.push(pool.splice(Math.floor(this.random() * pool.length), 1)[0]);
    return chosen;
  }
}

/**
 * DSPy's Ensemble: combines programs (e.g. the top candidates of a search) into one.
 * @example const voted = new Ensemble({ reduce: (outputs) => majority(outputs, 'answer') }).compile([a, b, c]);
 */
export class Ensemble<O = any, R = never> {
  constructor(readonly options: EnsembleOptions<O, R> = {}) {
    if (options.size !== undefined && !(Number.isInteger(options.size) && options.size >= 1)) {
      throw new OptimizerError(`Ensemble size must be a whole number ≥ 1, got ${options.size}.`);
    }
  }

  /**
   * An ensemble of copies of `programs` (the given programs are not changed). It takes the programs'
   * inputs and returns what `reduce` returns, or the members' outputs when there is no `reduce`.
   */
  compile<M extends Module>(
    programs: readonly M[],
  ): EnsembledProgram<ModuleInputs<M>, ModuleOutputs<M>, [R] extends [never] ? ModuleOutputs<M>[] : R> {
    if (programs.length === 0) throw new OptimizerError('Ensemble.compile needs at least one program.');
    return new EnsembledProgram(
      programs.map((program) => program.clone()),
      this.options as EnsembleOptions<any, any>,
    );
  }
}
