import { type Example, type Metric, type Module, shuffle } from '@sigil/core';
import { candidateState } from '../optimizer/candidate';
import { OptimizerError } from '../optimizer/errors';
import { Optimizer, type CompileData, type OptimizerOptions } from '../optimizer/optimizer';
import type { Estimate } from '../optimizer/report';
import type { OptimizerRun } from '../optimizer/run';
import { BootstrapFinetune } from '../finetune/bootstrap-finetune';
import { BootstrapRandomSearch } from '../search/bootstrap-random-search';

/** Options of `BetterTogether`. */
export interface BetterTogetherOptions extends OptimizerOptions {
  /** Scores the program after each step on the valset. */
  metric: Metric;
  /**
   * The optimizers the strategy names, by key (default `{ p: new BootstrapRandomSearch({ metric }),
   * w: new BootstrapFinetune({ metric }) }`, as DSPy). Give each its own `journal` to resume it.
   */
  optimizers?: Readonly<Record<string, Optimizer>>;
  /** The steps, keys of `optimizers` joined by `->` (default `'p -> w -> p'`). */
  strategy?: string;
  /** Without a valset, this share of the trainset (its first examples) is held out to score steps (default 0.1; 0: none). */
  valsetRatio?: number;
  /** Shuffle the trainset (seeded) before each step (default true). */
  shuffleTrainsetBetweenSteps?: boolean;
  /**
   * What a step that throws does: `'stop'` (default, as DSPy) ends the sequence and returns the best program
   * so far, the error in `betterTogetherOf(program).error` and a `SIGIL_BETTERTOGETHER_STEP_FAILED`
   * warning; `'throw'` rethrows it.
   */
  stepErrors?: 'stop' | 'throw';
}

/** What a BetterTogether run tried: each program of the sequence with its strategy and valset score. */
export interface BetterTogetherResult {
  /** Best first (ties: the earlier one), the program as given included (strategy `''`). */
  readonly candidates: readonly { strategy: string; score?: number; program: Module }[];
  /** The error that stopped the sequence early, when a step threw (`stepErrors: 'stop'`). */
  readonly error?: unknown;
}

const results = new WeakMap<object, BetterTogetherResult>();

/**
 * The steps a program `BetterTogether` returned went through.
 * @example betterTogetherOf(optimized)?.candidates[0].strategy; // 'p -> w'
 */
export function betterTogetherOf(program: object): BetterTogetherResult | undefined {
  return results.get(program);
}

/**
 * DSPy's BetterTogether: prompt and weight optimization in the sequence you give (`'p -> w -> p'`), each step
 * compiling the previous step's program. Every program of the sequence is scored on the valset (held out from
 * the trainset when none is given) and the best is returned — without a valset, the last.
 * @example const optimized = await new BetterTogether({ metric, strategy: 'p -> w' }).compile(program, { trainset, valset });
 */
export class BetterTogether extends Optimizer<BetterTogetherOptions> {
  readonly name = 'BetterTogether';
  /** The optimizers by key. */
  readonly optimizers: Readonly<Record<string, Optimizer>>;
  /** The parsed strategy: optimizer keys in order. */
  readonly steps: readonly string[];

  constructor(options: BetterTogetherOptions) {
    super(options);
    if (typeof options?.metric !== 'function') {
      throw new OptimizerError('BetterTogether needs { metric } to score the programs of its sequence.');
    }
    const ratio = options.valsetRatio ?? 0.1;
    if (!(ratio >= 0 && ratio < 1)) throw new OptimizerError(`valsetRatio must be in [0, 1), got ${ratio}.`);
    this.optimizers = options.optimizers ?? {
      p: new BootstrapRandomSearch({ metric: options.metric }),
      w: new BootstrapFinetune({ metric: options.metric }),
    };
    for (const [key, optimizer] of Object.entries(this.optimizers)) {
      if (!(optimizer instanceof Optimizer)) {
        throw new OptimizerError(
          `BetterTogether: optimizers.${key} is not an optimizer (new BootstrapFinetune(…), new MIPRO(…) …).`,
        );
      }
    }
    const strategy = options.strategy ?? 'p -> w -> p';
    this.steps = strategy.split('->').map((step) => step.trim());
    const unknown = this.steps.filter((step) => !(step in this.optimizers));
    if (strategy.trim() === '' || unknown.length > 0) {
      throw new OptimizerError(
        `BetterTogether: strategy ${JSON.stringify(strategy)} names ${unknown.length ? `unknown optimizer(s) ${unknown.map((u) => JSON.stringify(u)).join(', ')}` : 'no step'}; ` +
          `the keys are ${Object.keys(this.optimizers).join(', ')} — e.g. '${Object.keys(this.optimizers).join(' -> ')}'.`,
      );
    }
  }

  protected override runControl(): readonly string[] {
    return ['optimizers', 'stepErrors'];
  }

  estimate(program: Module, data: CompileData): Estimate {
    const parts = this.steps.map((step) => this.optimizers[step].estimate(program, data));
    const scoring =
      (this.steps.length + 1) *
      (data.valset?.length ?? Math.floor((this.options.valsetRatio ?? 0.1) * data.trainset.length));
    return {
      lmCalls: parts.reduce((sum, e) => sum + e.lmCalls, 0) + scoring,
      maxLmCalls: parts.reduce((sum, e) => sum + e.maxLmCalls, 0) + scoring * 4,
      programCalls: parts.reduce((sum, e) => sum + e.programCalls, 0) + scoring,
      steps: this.steps.map((step, i) => ({
        name: `${i + 1}: ${step}`,
        programCalls: parts[i].programCalls,
      })),
    };
  }

  protected async optimize(run: OptimizerRun, student: Module, data: CompileData): Promise<Module> {
    const { valset, trainset: given } = splitData(data, this.options.valsetRatio ?? 0.1);
    let trainset = given;
    const candidates: { strategy: string; score?: number; program: Module }[] = [];
    const score = (program: Module, strategy: string, name: string) =>
      valset
        ? run.step(
            name,
            () =>
              run.memo('better-together', strategy || 'baseline', () =>
                run.evaluate(program, valset!, this.options.metric),
              ),
            (s) => s,
          )
        : Promise.resolve(undefined);
    const baseline = await score(student, '', 'baseline');
    if (valset && baseline === undefined) throw run.baselineError('the baseline');
    run.baselineScore = baseline;
    candidates.push({ strategy: '', score: baseline, program: student });
    let current = student;
    let error: unknown;
    for (const [i, key] of this.steps.entries()) {
      if (run.outOfBudget) break;
      const strategy = this.steps.slice(0, i + 1).join(' -> ');
      if (this.options.shuffleTrainsetBetweenSteps ?? true)
        trainset = shuffle(trainset, `${run.seed}:better-together:${i}`);
      const optimizer = this.optimizers[key];
      try {
        current = await run.step(`${i + 1}: ${key} (${optimizer.name})`, () =>
          optimizer.compile(current, { trainset, valset, teacher: data.teacher }),
        );
      } catch (caught) {
        if (this.options.stepErrors === 'throw') throw caught;
        error = caught;
        process.emitWarning(
          `BetterTogether: step ${i + 1} (${key}, ${optimizer.name}) failed, so the sequence stops there and the best ` +
            `program so far is returned: ${(caught as Error)?.message ?? caught}`,
          { code: 'SIGIL_BETTERTOGETHER_STEP_FAILED' },
        );
        break;
      }
      const measured = await score(current, strategy, `score after ${strategy}`);
      candidates.push({ strategy, score: measured, program: current });
      if (measured !== undefined) this.record(run, candidates.length - 1, strategy, measured, current);
    }
    const ranked = candidates
      .map((candidate, index) => ({ candidate, index }))
      .sort(
        (a, b) => (b.candidate.score ?? -Infinity) - (a.candidate.score ?? -Infinity) || a.index - b.index,
      )
      .map(({ candidate }) => candidate);
    const best = valset ? ranked[0] : candidates[candidates.length - 1];
    run.bestScore = best.score;
    const program = best.program === student ? student.clone() : best.program;
    results.set(program, { candidates: ranked, error });
    return program;
  }

  private record(run: OptimizerRun, index: number, strategy: string, score: number, program: Module): void {
    run.candidates.push({
      key: strategy,
      label: strategy,
      score,
      calls: 0,
      resumed: false,
      state: candidateState(program),
      program,
    });
    run.emit('candidate', {
      index,
      total: this.steps.length,
      key: strategy,
      label: strategy,
      score,
      best: Math.max(...run.candidates.map((c) => c.score)),
      calls: 0,
      resumed: false,
    });
  }
}

/** The trainset and the valset steps are scored on: the given one, or the first `ratio` of the trainset. */
function splitData(
  data: CompileData,
  ratio: number,
): { trainset: readonly Example<any, any>[]; valset?: readonly Example<any, any>[] } {
  if (data.valset && data.valset.length > 0) return { trainset: data.trainset, valset: data.valset };
  const held = Math.floor(ratio * data.trainset.length);
  if (held === 0) return { trainset: data.trainset };
  return { trainset: data.trainset.slice(held), valset: data.trainset.slice(0, held) };
}
