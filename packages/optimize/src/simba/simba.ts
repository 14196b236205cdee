import { type Example, type LanguageModel, type Metric, type Module, predictorsOf } from '@sigil/core';
import { candidateState } from '../optimizer/candidate';
import { OptimizerError } from '../optimizer/errors';
import { type CompileData, estimateFrom, Optimizer, type OptimizerOptions } from '../optimizer/optimizer';
import type { Estimate } from '../optimizer/report';
import type { OptimizerRun } from '../optimizer/run';
import { selectionEstimate } from '../optimizer/selection';
import { PyRandom } from '../random/py-random';
import type { SIMBAStepRecord } from './report';
import { SimbaRunner } from './runner';
import { averageOf, bucketsOf, finishIndices, percentile, softmaxSample, topKPlusBaseline } from './sampling';
import { appendADemo, appendARule, type StrategyName } from './strategies';

/** Options of `SIMBA` (DSPy's defaults). */
export interface SIMBAOptions extends OptimizerOptions {
  metric: Metric;
  /** Train examples per step (default 32; the trainset needs at least this many). */
  bsize?: number;
  /** Candidates built per step, and LM variants sampled (default 6). */
  numCandidates?: number;
  maxSteps?: number;
  /** Demos a predictor may hold before some are dropped (default 4; 0: only rules are appended). */
  maxDemos?: number;
  /** Characters kept of each input of a new demo (default 100,000). */
  demoInputFieldMaxlen?: number;
  /** Softmax temperature for picking the program a trajectory runs (default 0.2). */
  temperatureForSampling?: number;
  /** Softmax temperature for picking the program a candidate is built from (default 0.2). */
  temperatureForCandidates?: number;
  /** The LM that writes rules (default: the configured one). */
  promptModel?: LanguageModel;
}

/**
 * SIMBA (DSPy's `dspy.SIMBA`, stochastic introspective mini-batch ascent): each step samples trajectories
 * of the best programs so far on a minibatch with several LM variants, finds the examples where the runs
 * disagree most, and builds new candidates from them — appending a successful run as a demo, or asking
 * the prompt model for a rule that contrasts a better and a worse run. The step's best candidate is a
 * winner; at the end a spread of winners is scored on the whole trainset and the best returned.
 * @example const optimized = await new SIMBA({ metric: exactMatch('answer'), maxSteps: 4 }).compile(program, { trainset });
 */
export class SIMBA extends Optimizer<SIMBAOptions> {
  readonly name = 'SIMBA';

  constructor(options: SIMBAOptions) {
    super(options);
    if (typeof options?.metric !== 'function') {
      throw new OptimizerError('SIMBA needs a metric — e.g. { metric: exactMatch("answer") }.');
    }
    for (const name of ['bsize', 'numCandidates', 'maxSteps', 'demoInputFieldMaxlen'] as const) {
      const value = options[name];
      if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
        throw new OptimizerError(`SIMBA ${name} must be a whole number ≥ 1, got ${value}.`);
      }
    }
    if (options.maxDemos !== undefined && !(Number.isInteger(options.maxDemos) && options.maxDemos >= 0)) {
      throw new OptimizerError(`SIMBA maxDemos must be a whole number ≥ 0, got ${options.maxDemos}.`);
    }
  }

  private get settings() {
    const o = this.options;
    return {
      bsize: o.bsize ?? 32,
      numCandidates: o.numCandidates ?? 6,
      maxSteps: o.maxSteps ?? 8,
      maxDemos: o.maxDemos ?? 4,
      demoInputFieldMaxlen: o.demoInputFieldMaxlen ?? 100_000,
      temperatureForSampling: o.temperatureForSampling ?? 0.2,
      temperatureForCandidates: o.temperatureForCandidates ?? 0.2,
    };
  }

  estimate(program: Module, data: CompileData): Estimate {
    const s = this.settings;
    const sampling = s.maxSteps * s.bsize * s.numCandidates;
    const candidates = s.maxSteps * s.bsize * (s.numCandidates + 1);
    const finish = (s.numCandidates + 1) * data.trainset.length;
    const programCalls = sampling + candidates + finish;
    const rules = s.maxSteps * (s.numCandidates + 1);
    return estimateFrom(
      program,
      { expected: programCalls, most: programCalls },
      [
        { name: `${s.maxSteps} steps: sample trajectories`, programCalls: sampling },
        {
          name: `${s.maxSteps} steps: score candidates (≤ ${rules} rule LM calls)`,
          programCalls: candidates,
        },
        { name: 'score the winners on the trainset', programCalls: finish },
      ],
      // About half the buckets get a rule (the other strategy appends a demo, no LM call).
      Math.round(rules / 2),
    );
  }

  protected async optimize(run: OptimizerRun, student: Module, data: CompileData): Promise<Module> {
    const s = this.settings;
    const trainset = data.trainset as readonly Example[];
    if (trainset.length < s.bsize) {
      throw new OptimizerError(
        `SIMBA needs at least bsize (${s.bsize}) training examples, got ${trainset.length} — add examples or lower bsize.`,
      );
    }
    const rng = new PyRandom(run.seed);
    // The reference draws its Poisson counts from numpy's generator: a stream of its own here too.
    const poisson = new PyRandom(run.seed + 1);
    const runner = new SimbaRunner(run, this.options.metric, trainset);
    const programs: Module[] = [student.clone()];
    const scores: number[][] = [[]];
    const winners: number[] = [0];
    const steps: SIMBAStepRecord[] = [];
    const strategies: StrategyName[] = s.maxDemos > 0 ? ['appendADemo', 'appendARule'] : ['appendARule'];
    const order = rng.shuffle(trainset.map((_, i) => i));
    let next = 0;
    for (let step = 0; step < s.maxSteps && !run.outOfBudget; step++) {
      if (next + s.bsize > trainset.length) {
        rng.shuffle(order);
        next = 0;
      }
      const batch = order.slice(next, next + s.bsize);
      next += s.bsize;
      const record: SIMBAStepRecord = { step, batch, p10: 0, p90: 0, buckets: [], candidateScores: [] };
      const done = await run.step(`step ${step + 1}`, async () => {
        const averages = scores.map((list) => averageOf(list));
        const top = topKPlusBaseline(averages, s.numCandidates);
        const plan = Array.from({ length: s.numCandidates }, (_, variant) =>
          batch.map((example) => ({
            variant,
            example,
            program: softmaxSample(rng, top, averages, s.temperatureForSampling),
          })),
        ).flat();
        const runs = await runner.sample(step, plan, programs);
        if (!runs) return false;
        const all = runs.map((r) => r.score);
        record.p10 = percentile(all, 10);
        record.p90 = percentile(all, 90);
        const candidates: Module[] = [];
        for (const [b, bucket] of bucketsOf(runs, s.bsize).entries()) {
          const source = softmaxSample(
            rng,
            topKPlusBaseline(averages, s.numCandidates),
            averages,
            s.temperatureForCandidates,
          );
          const candidate = programs[source].clone();
          dropDemos(candidate, s.maxDemos, rng, poisson);
          const strategy = rng.choice(strategies);
          const bucketRecord = {
            example: bucket.runs[0].example,
            gap: bucket.stats[0],
            max: bucket.stats[1],
            maxToMean: bucket.stats[2],
            strategy,
            applied: false,
            source,
          } as SIMBAStepRecord['buckets'][number];
          record.buckets.push(bucketRecord);
          const ctx = {
            p10: record.p10,
            p90: record.p90,
            demoInputFieldMaxlen: s.demoInputFieldMaxlen,
            promptModel: this.options.promptModel,
            example: trainset[bucket.runs[0].example],
          };
          try {
            const outcome =
              strategy === 'appendADemo'
                ? appendADemo(bucket, candidate, ctx)
                : await runner.advice(step, b, () => appendARule(bucket, candidate, ctx), candidate);
            if (!outcome) return false;
            bucketRecord.applied = outcome.applied;
            if (outcome.note) bucketRecord.note = outcome.note;
          } catch (error) {
            if (run.interrupted) return false;
            bucketRecord.note = `the strategy failed: ${(error as Error)?.message ?? error}`;
            continue;
          }
          bucketRecord.candidate = programs.length + candidates.length;
          candidates.push(candidate);
          if (candidates.length >= s.numCandidates + 1) break;
        }
        const results = await runner.score(step, candidates, batch);
        if (!results) return false;
        results.forEach((list, i) => {
          const index = programs.length;
          programs.push(candidates[i]);
          scores.push(list);
          record.candidateScores.push(averageOf(list));
          run.trial({
            kind: 'trial',
            number: index,
            label: `step ${step + 1}: candidate ${index}`,
            fidelity: 'minibatch',
            score: percent(averageOf(list)),
            examples: batch.length,
            calls: 0,
            resumed: false,
            state: candidateState(candidates[i]),
          });
        });
        if (results.length > 0) {
          const best = record.candidateScores.indexOf(Math.max(...record.candidateScores));
          record.winner = programs.length - results.length + best;
          winners.push(record.winner);
        }
        return true;
      });
      steps.push(record);
      if (!done) break;
    }
    return this.finish(run, runner, programs, winners, steps, trainset);
  }

  /** Scores a spread of step winners on the whole trainset and returns the best. */
  private async finish(
    run: OptimizerRun,
    runner: SimbaRunner,
    programs: Module[],
    winners: number[],
    steps: SIMBAStepRecord[],
    trainset: readonly Example[],
  ): Promise<Module> {
    const s = this.settings;
    const picked = finishIndices(winners.length - 1, s.numCandidates + 1).map((i) => winners[i]);
    const finalists: { program: number; score: number }[] = [];
    const perExample: number[][] = [];
    const evaluated = await run.step('score the winners on the trainset', () =>
      runner.final(picked, programs),
    );
    for (const [i, program] of picked.entries()) {
      const list = evaluated?.[i];
      if (!list) break;
      finalists.push({ program, score: percent(averageOf(list)) });
      perExample.push(list);
      run.trial({
        kind: 'evaluation',
        number: i + 1,
        label: `winner: program ${program} on the whole trainset`,
        fidelity: 'full',
        score: percent(averageOf(list)),
        examples: trainset.length,
        calls: 0,
        resumed: false,
        state: candidateState(programs[program]),
      });
      run.candidates.push({
        key: `simba:${program}`,
        label: program === 0 ? 'baseline' : `simba #${program}`,
        score: percent(averageOf(list)),
        calls: 0,
        resumed: false,
        state: candidateState(programs[program]),
      });
    }
    const bestAt =
      finalists.length === 0
        ? -1
        : finalists.map((f) => f.score).indexOf(Math.max(...finalists.map((f) => f.score)));
    const best = bestAt < 0 ? 0 : finalists[bestAt].program;
    if (finalists.length > 0 && picked[0] === 0) run.baselineScore = finalists[0].score;
    run.bestScore = bestAt < 0 ? undefined : finalists[bestAt].score;
    run.simba = { steps, finalists, bestProgram: best };
    if (bestAt >= 0) run.selection = selectionEstimate(perExample, bestAt, run.seed);
    return programs[best].clone();
  }
}

const percent = (raw: number) => Math.round(raw * 10000) / 100;

/** Drops up to ⌈Poisson(D/m)⌉ demo positions (at least one when D ≥ m) from every predictor, as SIMBA does. */
function dropDemos(candidate: Module, maxDemos: number, rng: PyRandom, poisson: PyRandom): void {
  const predictors = predictorsOf(candidate);
  const most = Math.max(0, ...predictors.map((p) => p.demos.get().length));
  const limit = maxDemos > 0 ? maxDemos : 3;
  const count = Math.min(most, Math.max(poisson.poisson(most / limit), most >= limit ? 1 : 0));
  const dropped = new Set(Array.from({ length: count }, () => rng.randrange(most)));
  if (dropped.size === 0) return;
  for (const p of predictors) p.demos.set(p.demos.get().filter((_, i) => !dropped.has(i)));
}
