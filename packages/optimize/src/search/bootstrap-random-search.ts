import { type Metric, type Module, seededRandom, shuffle } from '@sigil/core';
import {
  assembleDemos,
  type BootstrapFewShotOptions,
  prepareTeacher,
  teacherRunOptions,
} from '../bootstrap/bootstrap-few-shot';
import { labeledDemos } from '../bootstrap/labeled-few-shot';
import { TeacherRuns } from '../bootstrap/teacher-runs';
import { OptimizerError } from '../optimizer/errors';
import { estimateFrom, Optimizer, type CompileData } from '../optimizer/optimizer';
import type { Estimate } from '../optimizer/report';
import { selectionEstimate } from '../optimizer/selection';
import type { OptimizerRun, ScoredCandidate } from '../optimizer/run';
import { setDemos } from '../optimizer/candidate';

/** Options of `BootstrapRandomSearch`. */
export interface BootstrapRandomSearchOptions extends BootstrapFewShotOptions {
  /** Scores candidates on the valset (and judges teacher runs). */
  metric: Metric;
  /** Shuffled, size-varied bootstraps to try besides the three fixed candidates (default 16). */
  numCandidatePrograms?: number;
  /** Fewest bootstrapped demos a shuffled candidate draws (default 1; the most is `maxBootstrappedDemos`). */
  minNumSamples?: number;
  /** Stop as soon as a candidate scores at least this (percent). */
  stopAtScore?: number;
  /** The labelled-only candidate samples its demos at random (default true) rather than taking the first. */
  labeledSample?: boolean;
}

/**
 * DSPy's BootstrapFewShotWithRandomSearch. Candidates, in order: seed -3 the program zero-shot (the
 * baseline), -2 labelled demos only, -1 a bootstrap over the trainset in order, then
 * `numCandidatePrograms` bootstraps over seeded shuffles of the trainset with a seeded number of demos.
 * Each is scored on the valset (the trainset when none is given) and the best is returned (the first
 * one on ties). The teacher runs once per training example per compile; candidates share those runs.
 * @example
 * const optimized = await new BootstrapRandomSearch({ metric, numCandidatePrograms: 8 }).compile(program, { trainset, valset });
 */
export class BootstrapRandomSearch extends Optimizer<BootstrapRandomSearchOptions> {
  readonly name = 'BootstrapRandomSearch';

  constructor(options: BootstrapRandomSearchOptions) {
    super(options);
    if (typeof options?.metric !== 'function') {
      throw new OptimizerError(
        'BootstrapRandomSearch needs a metric to score candidates — e.g. { metric: exactMatch("answer") }.',
      );
    }
  }

  estimate(program: Module, data: CompileData): Estimate {
    const valset = (data.valset ?? data.trainset).length;
    const candidates = this.seeds().length;
    const bootstrap = data.trainset.length * (this.options.maxRounds ?? 1);
    const evaluation = candidates * valset;
    const programCalls = bootstrap + evaluation;
    return estimateFrom(program, { expected: programCalls, most: programCalls }, [
      { name: 'bootstrap (teacher runs, shared by candidates)', programCalls: bootstrap },
      { name: `evaluate ${candidates} candidates`, programCalls: evaluation },
    ]);
  }

  protected async optimize(run: OptimizerRun, student: Module, data: CompileData): Promise<Module> {
    const options = this.options;
    const valset = data.valset ?? data.trainset;
    const maxBootstrapped = options.maxBootstrappedDemos ?? 4;
    const minSamples = Math.min(options.minNumSamples ?? 1, maxBootstrapped);
    const teacher = prepareTeacher(run, student, data, options.maxLabeledDemos ?? 16);
    const runs = new TeacherRuns(run, teacher, data.trainset, teacherRunOptions(options));
    const zeroShot = student.clone();
    setDemos(zeroShot, () => []);
    const indices = data.trainset.map((_, index) => index);
    const seeds = this.seeds();

    const build = async (seed: number): Promise<Module> => {
      if (seed === -3) return zeroShot.clone();
      if (seed === -2) {
        const program = zeroShot.clone();
        const k = options.maxLabeledDemos ?? 16;
        setDemos(program, (_path, index) =>
          labeledDemos(data.trainset, k, options.labeledSample ?? true, `${run.seed}:labeled:${index}`),
        );
        return program;
      }
      const order = seed === -1 ? indices : shuffle(indices, `${run.seed}:order:${seed}`);
      const size =
        seed === -1 ? maxBootstrapped : sizeFor(`${run.seed}:size:${seed}`, minSamples, maxBootstrapped);
      const found = await runs.collect(order, size);
      return assembleDemos(
        zeroShot,
        found,
        data.trainset,
        order,
        { ...options, maxBootstrappedDemos: size },
        `${run.seed}:${seed}`,
      );
    };

    let best: ScoredCandidate | undefined;
    for (const [index, seed] of seeds.entries()) {
      const spec = { key: `seed:${seed}`, label: labelOf(seed), index, total: seeds.length };
      const scored = await run.step(
        `candidate ${spec.key}`,
        () => run.scoreCandidate(spec, () => build(seed), valset, options.metric, { baseline: seed === -3 }),
        (c) => c?.score,
      );
      if (!scored) {
        if (!best) throw run.baselineError('the zero-shot baseline (candidate seed -3)');
        break;
      }
      if (seed === -3) run.baselineScore = scored.score;
      if (!best || scored.score > best.score) best = scored;
      if (options.stopAtScore !== undefined && scored.score >= options.stopAtScore) break;
    }
    run.bestScore = best!.score;
    const measured = run.candidates.filter((c) => run.candidateScores.has(c.key));
    run.selection = selectionEstimate(
      measured.map((c) => run.candidateScores.get(c.key)!),
      measured.findIndex((c) => c.key === best!.key),
      run.seed,
    );
    return run.programOf(best!, zeroShot);
  }

  /** The candidate seeds in plan order: -3, -2, -1, then 0 … numCandidatePrograms − 1. */
  private seeds(): number[] {
    const count = this.options.numCandidatePrograms ?? 16;
    return Array.from({ length: count + 3 }, (_, i) => i - 3);
  }
}

/** A seeded size in [min, max] (Python's randint, inclusive). */
function sizeFor(seed: string, min: number, max: number): number {
  return min + Math.floor(seededRandom(seed)() * (max - min + 1));
}

function labelOf(seed: number): string {
  if (seed === -3) return 'zero-shot';
  if (seed === -2) return 'labelled demos only';
  if (seed === -1) return 'bootstrap, trainset in order';
  return `bootstrap, shuffle ${seed}`;
}
