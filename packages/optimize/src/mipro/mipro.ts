import {
  context,
  Evaluate,
  type Example,
  type LanguageModel,
  type Metric,
  type Module,
  predictorsOf,
  sample,
  seededRandom,
} from '@sigil/core';
import { assembleDemos, prepareTeacher, teacherRunOptions } from '../bootstrap/bootstrap-few-shot';
import { labeledDemos } from '../bootstrap/labeled-few-shot';
import { TeacherRuns } from '../bootstrap/teacher-runs';
import { type Demo, predictorPaths, setDemos, withState } from '../optimizer/candidate';
import { OptimizerError } from '../optimizer/errors';
import {
  type CompileData,
  estimateFrom,
  Optimizer,
  type OptimizerOptions,
  predictorCount,
} from '../optimizer/optimizer';
import type { Estimate } from '../optimizer/report';
import type { OptimizerRun } from '../optimizer/run';
import { selectionEstimate } from '../optimizer/selection';
import { HalvingSearch, halvingPromotionCalls } from './halving';
import { AUTO_PRESETS, type AutoPreset, trialsFor } from './presets';
import { describeFailure, InstructionProposer } from './proposer';
import { SearchSpace } from './search-space';
import { TrialSearch } from './trial-search';

/** MIPRO's multi-fidelity schedules (see `MIPROOptions.fidelity`). */
export type Fidelity = 'every-n' | 'halving';

/** Options of `MIPRO`. Explicit settings override the `auto` preset's. */
export interface MIPROOptions extends OptimizerOptions {
  metric: Metric;
  /** DSPy MIPROv2's presets: candidates per predictor, valset size, and the trial count derived from them. */
  auto?: AutoPreset | null;
  /** Instruction candidates and demo sets per predictor (default 6, or the preset's). */
  numCandidates?: number;
  /** Search trials (default: DSPy's formula from predictors and candidates). */
  numTrials?: number;
  /** Most valset examples used (default: all, or the preset's `valSize`). */
  valSize?: number;
  maxBootstrappedDemos?: number;
  maxLabeledDemos?: number;
  /** Teacher runs that may fail (a reply the program cannot use) before bootstrapping stops (default 10). */
  maxErrors?: number;
  /** Instructions only: no demo sets are built or searched (DSPy's zero-shot mode). */
  zeroShot?: boolean;
  /** Score trials on a minibatch of the valset and promote the most promising to the full valset (default true). */
  minibatch?: boolean;
  minibatchSize?: number;
  /** A full-valset evaluation of the best-averaging configuration after every this many trials (default 5). */
  minibatchFullEvalSteps?: number;
  /**
   * How minibatch scores lead to full-valset evaluations: `'every-n'` (DSPy's schedule, the default) promotes
   * the best-averaging configuration every `minibatchFullEvalSteps` trials; `'halving'` runs asynchronous
   * successive halving — rungs of `minibatchSize`, ×3 each, up to the valset; the top third of each rung
   * moves up and is scored only on the examples it has not seen.
   */
  fidelity?: Fidelity;
  /** Trials evaluated at once (default 4); the TPE sampler treats running ones as bad (constant liar). */
  parallelTrials?: number;
  /** The LM that proposes instructions (default: the configured one). */
  promptModel?: LanguageModel;
  /**
   * Ground the instruction proposals in what the program gets wrong (default true): the program as given is
   * run on some training examples first, and each proposal is shown a few of its failures with the metric's
   * feedback. A number sets how many examples are run (default 4 per proposal, at most 40); false gives
   * DSPy's proposer, which sees only successful demos.
   */
  proposeFromFailures?: boolean | number;
  /** TPE random startup trials (default min(10, trials / 3)). */
  startupTrials?: number;
}

/**
 * MIPRO (DSPy's MIPROv2): bootstraps several demo sets per predictor, proposes instruction candidates
 * with a grounded proposer (itself a Sigil program), then searches the combinations — every predictor's
 * instruction and demo set, and every `@Param` — with a TPE sampler, scoring trials on minibatches and
 * promoting the most promising to the full valset. Returns the configuration with the best full score.
 * @example const optimized = await new MIPRO({ metric: exactMatch('answer'), auto: 'light' }).compile(rag, { trainset, valset });
 */
export class MIPRO extends Optimizer<MIPROOptions> {
  readonly name = 'MIPRO';

  constructor(options: MIPROOptions) {
    super(options);
    if (typeof options?.metric !== 'function') {
      throw new OptimizerError(
        'MIPRO needs a metric to score trials — e.g. { metric: exactMatch("answer") }.',
      );
    }
    if (options.fidelity !== undefined && options.fidelity !== 'every-n' && options.fidelity !== 'halving') {
      throw new OptimizerError(
        `MIPRO fidelity must be 'every-n' or 'halving', got ${JSON.stringify(options.fidelity)}.`,
      );
    }
    if (options.auto != null && !(options.auto in AUTO_PRESETS)) {
      throw new OptimizerError(
        `MIPRO auto must be 'light', 'medium' or 'heavy', got ${JSON.stringify(options.auto)}.`,
      );
    }
  }

  /** The settings in force: the preset's, overridden by explicit options. */
  plan(program: Module, data: CompileData) {
    const preset = this.options.auto ? AUTO_PRESETS[this.options.auto] : undefined;
    const zeroShot = this.options.zeroShot ?? false;
    const numCandidates = this.options.numCandidates ?? preset?.numCandidates ?? 6;
    const predictors = predictorCount(program);
    const numTrials = this.options.numTrials ?? trialsFor(predictors, numCandidates, zeroShot);
    const valset = valsetOf(data);
    const valSize = Math.min(valset.length, this.options.valSize ?? preset?.valSize ?? valset.length);
    const minibatch = (this.options.minibatch ?? true) && valSize > (this.options.minibatchSize ?? 35);
    return {
      zeroShot,
      numCandidates,
      numTrials,
      valSize,
      minibatch,
      minibatchSize: Math.min(this.options.minibatchSize ?? 35, valSize),
      fullEvalSteps: this.options.minibatchFullEvalSteps ?? 5,
      fidelity: this.options.fidelity ?? 'every-n',
      parallel: Math.max(1, this.options.parallelTrials ?? 4),
      maxBootstrapped: zeroShot ? 0 : (this.options.maxBootstrappedDemos ?? 4),
      maxLabeled: zeroShot ? 0 : (this.options.maxLabeledDemos ?? 4),
      failureExamples: failureExamplesFor(
        this.options.proposeFromFailures,
        numCandidates,
        data.trainset.length,
      ),
    };
  }

  estimate(program: Module, data: CompileData): Estimate {
    const p = this.plan(program, data);
    const predictors = predictorCount(program);
    const bootstrap = p.zeroShot ? 0 : data.trainset.length;
    const proposals = 1 + predictors * (p.numCandidates - 1);
    const halving = p.minibatch && p.fidelity === 'halving';
    const trialCalls = p.numTrials * (p.minibatch ? p.minibatchSize : p.valSize);
    const fullEvals = p.minibatch && !halving ? Math.ceil(p.numTrials / p.fullEvalSteps) + 1 : 0;
    const promotionCalls = halving ? halvingPromotionCalls(p.numTrials, p.minibatchSize, p.valSize) : 0;
    const baseline = p.valSize;
    const programCalls =
      baseline + bootstrap + p.failureExamples + trialCalls + fullEvals * p.valSize + promotionCalls;
    return estimateFrom(
      program,
      { expected: programCalls, most: programCalls },
      [
        { name: 'baseline', programCalls: baseline },
        { name: 'bootstrap demo sets', programCalls: bootstrap },
        ...(p.failureExamples > 0
          ? [{ name: 'run the program for the proposer to learn from', programCalls: p.failureExamples }]
          : []),
        { name: `propose instructions (${proposals} LM calls)`, programCalls: 0 },
        { name: `${p.numTrials} trials`, programCalls: trialCalls },
        halving
          ? { name: 'successive-halving promotions', programCalls: promotionCalls }
          : { name: `${fullEvals} full evaluations`, programCalls: fullEvals * p.valSize },
      ],
      proposals,
    );
  }

  protected async optimize(run: OptimizerRun, student: Module, data: CompileData): Promise<Module> {
    const p = this.plan(student, data);
    const metric = this.options.metric;
    const valset = sample(valsetOf(data), p.valSize, `${run.seed}:valset`);
    const base = student.clone();

    // Journaled, so a resumed (or interrupted and resumed) run does not pay for its baseline again; older
    // journals hold the bare score.
    const measured = await run.step(
      'baseline',
      () =>
        run.memo<{ score: number; scores?: number[] } | number>('baseline', 'valset', () =>
          run.evaluateScores(base, valset, metric, { baseline: true }),
        ),
      (m) => (typeof m === 'number' ? m : m?.score),
    );
    if (measured === undefined) throw run.baselineError('the baseline');
    const baseline = typeof measured === 'number' ? measured : measured.score;
    const baselineScores = typeof measured === 'number' ? undefined : measured.scores;
    run.baselineScore = baseline;

    const demoSets = p.zeroShot
      ? undefined
      : await run.step('bootstrap demo sets', () => this.demoSets(run, base, data, p));
    if (run.outOfBudget) return finish(run, base, baseline);

    const proposed = await run.step('propose instructions', () =>
      this.instructions(run, base, data, demoSets, p),
    );
    if (!proposed || run.outOfBudget) return finish(run, base, baseline);
    const instructions = proposed.instructions;

    const space = new SearchSpace(base, instructions, demoSets);
    const Search = p.minibatch && p.fidelity === 'halving' ? HalvingSearch : TrialSearch;
    const search = new Search(run, space, base, valset, metric, {
      numTrials: p.numTrials,
      minibatch: p.minibatch,
      minibatchSize: p.minibatchSize,
      fullEvalSteps: p.fullEvalSteps,
      parallel: p.parallel,
      startupTrials: this.options.startupTrials ?? Math.max(2, Math.min(10, Math.floor(p.numTrials / 3))),
      random: seededRandom(`${run.seed}:tpe`),
      baseline,
    });
    run.search = {
      dimensions: space.dimensions.map((d) => ({ ...d })),
      configurations: space.size,
      instructions,
      demoSetSizes: demoSets
        ? Object.fromEntries(
            Object.entries(demoSets).map(([path, sets]) => [path, sets.map((s) => s.length)]),
          )
        : undefined,
      trials: p.numTrials,
      fullEvaluations: 0,
      unparsableProposals: proposed.unparsable,
    };
    const baselineKey = space.keyOf(space.baseline);
    run.candidates.unshift({
      key: baselineKey,
      label: 'baseline (the program as given)',
      score: baseline,
      calls: 0,
      resumed: false,
      state: space.stateOf(space.baseline),
    });
    if (baselineScores) run.candidateScores.set(baselineKey, baselineScores);
    const best = await run.step('search', () => search.search());
    run.search.fullEvaluations = search.fullEvaluations;
    run.selection = estimateSelection(run, best.state ? (best.key ?? baselineKey) : baselineKey);
    return finish(run, best.state ? withState(base, best.state) : base, best.score);
  }

  /** Per predictor path: demo set 0 is empty, 1 labelled only, 2 an in-order bootstrap, then shuffled ones. */
  private async demoSets(
    run: OptimizerRun,
    base: Module,
    data: CompileData,
    p: ReturnType<MIPRO['plan']>,
  ): Promise<Record<string, Demo[][]>> {
    const options = {
      ...this.options,
      maxBootstrappedDemos: p.maxBootstrapped,
      maxLabeledDemos: p.maxLabeled,
    };
    const teacher = prepareTeacher(run, base, data, p.maxLabeled);
    const runs = new TeacherRuns(run, teacher, data.trainset, teacherRunOptions(options));
    const paths = predictorPaths(base);
    const sets: Record<string, Demo[][]> = Object.fromEntries(paths.map((path) => [path, [[]]]));
    const add = (program: Module) => {
      for (const predictor of predictorsOf(program))
        sets[predictor.path].push(predictor.demos.get().map((d) => ({ ...d })));
    };
    const labeled = base.clone();
    setDemos(labeled, (_path, index) =>
      labeledDemos(data.trainset, p.maxLabeled, true, `${run.seed}:mipro-labeled:${index}`),
    );
    add(labeled);
    const indices = data.trainset.map((_, i) => i);
    for (let k = 0; sets[paths[0]].length < p.numCandidates && !run.outOfBudget; k++) {
      const random = seededRandom(`${run.seed}:mipro-set:${k}`);
      const order = k === 0 ? indices : sample(indices, indices.length, `${run.seed}:mipro-order:${k}`);
      const size = k === 0 ? p.maxBootstrapped : 1 + Math.floor(random() * Math.max(1, p.maxBootstrapped));
      const found = await runs.collect(order, size);
      if (found.interrupted) break;
      add(
        assembleDemos(
          base,
          found,
          data.trainset,
          order,
          { ...options, maxBootstrappedDemos: size },
          `${run.seed}:set:${k}`,
        ),
      );
    }
    return sets;
  }

  /**
   * The program as given, run on a seeded sample of the trainset: the examples it gets wrong (below a
   * perfect score), worst first, rendered for the proposer with their outputs and the metric's feedback.
   */
  private async failures(
    run: OptimizerRun,
    base: Module,
    data: CompileData,
    count: number,
  ): Promise<string[]> {
    const examples = sample(data.trainset, count, `${run.seed}:failures`);
    const report = await new Evaluate({
      devset: examples,
      metric: this.options.metric,
      concurrency: run.concurrency,
      progress: false,
    }).run(base);
    return report.results
      .filter((r) => r.error === undefined && r.score < 1)
      .sort((a, b) => a.score - b.score || a.index - b.index)
      .map((r) =>
        describeFailure(
          r.example.inputs().toJSON() as Record<string, unknown>,
          r.prediction.toJSON() as Record<string, unknown>,
          r.score,
          r.feedback,
        ),
      );
  }

  /** Per predictor path: candidate instructions (index 0 = the current one), proposed once and journaled. */
  private async instructions(
    run: OptimizerRun,
    base: Module,
    data: CompileData,
    demoSets: Record<string, Demo[][]> | undefined,
    p: ReturnType<MIPRO['plan']>,
  ): Promise<{ instructions: Record<string, string[]>; unparsable: number } | undefined> {
    return run.memo('instructions', `n=${p.numCandidates}`, async () => {
      const proposer = new InstructionProposer();
      const lm = this.options.promptModel;
      const failures =
        p.failureExamples > 0 ? await this.failures(run, base, data, p.failureExamples) : undefined;
      if (run.outOfBudget) return undefined;
      const propose = async () => {
        const random = seededRandom(`${run.seed}:proposer`);
        const examples = sample(data.trainset, Math.min(8, data.trainset.length), `${run.seed}:describe`).map(
          (e: Example) => e.toJSON() as Record<string, unknown>,
        );
        const description = await proposer.describeDataset(examples);
        const out: Record<string, string[]> = {};
        for (const predictor of predictorsOf(base)) {
          const path = predictor.path;
          const demos = (demoSets?.[path] ?? []).flat().filter((d) => d.augmented);
          out[path] = await proposer.proposeFor(
            base,
            {
              path,
              signature: predictor.instructions.signature,
              demos: demos.length ? demos : (demoSets?.[path]?.[1] ?? []),
            },
            description,
            p.numCandidates,
            random,
            undefined,
            failures,
          );
          if (run.outOfBudget) return undefined;
        }
        return { instructions: out, unparsable: proposer.unparsable };
      };
      return lm ? context({ lm }, propose) : propose();
    });
  }
}

/** How many training examples are run to find failures for the proposer. */
function failureExamplesFor(
  option: boolean | number | undefined,
  numCandidates: number,
  trainSize: number,
): number {
  if (option === false) return 0;
  const wanted = typeof option === 'number' ? option : Math.min(40, 4 * Math.max(1, numCandidates - 1));
  return Math.max(0, Math.min(trainSize, Math.floor(wanted)));
}

function valsetOf(data: CompileData): readonly Example[] {
  return data.valset && data.valset.length > 0 ? data.valset : data.trainset;
}

/** The selection estimate among the fully evaluated configurations (those with per-example scores). */
function estimateSelection(run: OptimizerRun, chosenKey: string) {
  const keys = run.candidates.map((c) => c.key).filter((key) => run.candidateScores.has(key));
  const chosen = keys.indexOf(chosenKey);
  if (chosen < 0) return undefined;
  return selectionEstimate(
    keys.map((key) => run.candidateScores.get(key)!),
    chosen,
    run.seed,
  );
}

function finish(run: OptimizerRun, program: Module, score: number): Module {
  run.bestScore = score;
  return program;
}
