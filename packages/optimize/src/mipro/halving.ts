import { type Example, type Metric, type Module, shuffle } from '@sigil/core';
import type { StatePatch } from '@sigil/core';
import { withState } from '../optimizer/candidate';
import { Meter, metered } from '../optimizer/budget';
import type { OptimizerRun } from '../optimizer/run';
import type { Choice, SearchSpace } from './search-space';
import { type TrialObservation, TPESampler } from './tpe';
import type { TrialSearchOptions } from './trial-search';

/** Hyperband's default reduction factor: each rung keeps the best third and evaluates it on 3× the examples. */
export const HALVING_RATE = 3;

/** How often the sampler may redraw a suggestion that names an already screened configuration. */
const REDRAWS = 8;

/**
 * Rung sizes of the halving schedule: the minibatch, then ×3 each rung, ending with the whole valset.
 * @example rungSizes(12, 100) // [12, 36, 100]
 */
export function rungSizes(minibatchSize: number, valSize: number): number[] {
  const sizes: number[] = [];
  for (let size = Math.max(1, minibatchSize); size < valSize; size *= HALVING_RATE) sizes.push(size);
  sizes.push(valSize);
  return sizes;
}

/**
 * Program calls the promotions of `trials` rung-0 trials cost at most: a third of each rung moves up and
 * is scored on the examples the next rung adds.
 */
export function halvingPromotionCalls(trials: number, minibatchSize: number, valSize: number): number {
  const sizes = rungSizes(minibatchSize, valSize);
  let calls = 0;
  for (let rung = 1; rung < sizes.length; rung++) {
    calls += Math.ceil(trials / HALVING_RATE ** rung) * (sizes[rung] - sizes[rung - 1]);
  }
  return calls;
}

interface Configuration {
  choice: Choice;
  key: string;
  /** Score (percent) at each rung reached, over that rung's whole prefix of the valset. */
  rungs: number[];
  /** Raw score per example of the valset order, as far as its rungs reach. */
  scores: number[];
  promoting?: boolean;
}

interface JournaledEvaluation {
  key: string;
  score: number;
  calls: number;
  scores?: number[];
}

type Job =
  { kind: 'trial'; index: number; observation: number } | { kind: 'promote'; rung: number; number: number };

/**
 * Asynchronous successive halving (ASHA) over the MIPRO search space. Every new configuration the TPE
 * sampler proposes is scored on the first rung: a fixed prefix of a seeded shuffle of the valset. A
 * configuration in the top third of the configurations scored at a rung is promoted to the next one
 * (at most a third of a rung is promoted, so the calls stay within the estimate), and evaluated only
 * on the examples it has not seen yet (rungs are nested prefixes, ×3 each, the last
 * being the whole valset). Promotions take precedence over new trials; after the last trial the pending
 * promotions are drained. The best configuration fully evaluated wins. As configurations share the rung
 * examples, a suggestion of an already screened configuration is redrawn (it would repeat the same calls).
 * Every evaluation is journaled, so a resumed run replays it for free.
 */
export class HalvingSearch {
  private readonly sampler: TPESampler;
  private readonly history: TrialObservation[] = [];
  private readonly configurations = new Map<string, Configuration>();
  private readonly rungs: number[];
  private readonly order: readonly Example[];
  private best: { score: number; state?: StatePatch; key?: string };
  private trialsDone = 0;
  private promotions = 0;
  /** Whole-valset evaluations made (or replayed) so far. */
  fullEvaluations = 0;

  constructor(
    private readonly run: OptimizerRun,
    private readonly space: SearchSpace,
    private readonly base: Module,
    valset: readonly Example[],
    private readonly metric: Metric,
    private readonly options: TrialSearchOptions,
  ) {
    this.sampler = new TPESampler(space.dimensions, {
      random: options.random,
      nStartupTrials: options.startupTrials,
    });
    this.rungs = rungSizes(options.minibatchSize, valset.length);
    this.order = shuffle(valset, `${run.seed}:halving`);
    this.history.push({ params: space.baseline, value: options.baseline, state: 'complete' });
    const key = space.keyOf(space.baseline);
    this.configurations.set(key, { choice: space.baseline, key, rungs: [], scores: [] });
    this.best = { score: options.baseline };
  }

  /** Runs every trial and the promotions they earn (or until the budget ends); returns the best full score. */
  async search(): Promise<{ score: number; state?: StatePatch; key?: string }> {
    while (!this.run.outOfBudget) {
      const jobs: { job: Job; config: Configuration }[] = [];
      while (jobs.length < this.options.parallel) {
        const next = this.nextJob();
        if (!next) break;
        jobs.push(next);
      }
      if (jobs.length === 0) break;
      const scores = await Promise.all(jobs.map(({ job, config }) => this.evaluate(job, config)));
      jobs.forEach(({ job, config }, i) => this.record(job, config, scores[i]));
    }
    return this.best;
  }

  /** A promotion if any configuration earned one (highest rung first), else a new trial, else nothing. */
  private nextJob(): { job: Job; config: Configuration } | undefined {
    for (let rung = this.rungs.length - 2; rung >= 0; rung--) {
      const config = this.promotable(rung);
      if (config) {
        config.promoting = true;
        return { job: { kind: 'promote', rung: rung + 1, number: ++this.promotions }, config };
      }
    }
    if (this.trialsDone >= this.options.numTrials) return undefined;
    let choice = this.sampler.suggest(this.history);
    for (let i = 0; i < REDRAWS && this.configurations.has(this.space.keyOf(choice)); i++) {
      choice = this.sampler.suggest(this.history);
    }
    this.history.push({ params: choice, state: 'running' });
    const key = this.space.keyOf(choice);
    let config = this.configurations.get(key);
    if (!config) this.configurations.set(key, (config = { choice, key, rungs: [], scores: [] }));
    const job: Job = { kind: 'trial', index: this.trialsDone++, observation: this.history.length - 1 };
    return { job, config };
  }

  /**
   * The best configuration at `rung` that is in the top third there and has not been promoted yet, while
   * fewer than a third of the rung have been promoted (so the promotions, and the calls, stay bounded).
   */
  private promotable(rung: number): Configuration | undefined {
    const scored = [...this.configurations.values()].filter((c) => c.rungs.length > rung);
    const quota = Math.floor(scored.length / HALVING_RATE);
    const promoted = scored.filter((c) => c.rungs.length > rung + 1 || c.promoting).length;
    if (promoted >= quota) return undefined;
    const ranked = scored.sort((a, b) => b.rungs[rung] - a.rungs[rung]);
    return ranked.slice(0, quota).find((c) => c.rungs.length === rung + 1 && !c.promoting);
  }

  /** Scores a configuration on the examples of a rung it has not seen; the rung score covers its prefix. */
  private async evaluate(job: Job, config: Configuration): Promise<number | undefined> {
    const rung = job.kind === 'trial' ? 0 : job.rung;
    if (job.kind === 'trial' && config.rungs.length > 0) return config.rungs[0];
    const from = rung === 0 ? 0 : this.rungs[rung - 1];
    const to = this.rungs[rung];
    const state = this.space.stateOf(config.choice);
    const [kind, key] =
      job.kind === 'trial' ? ['trial', String(job.index)] : ['rung', `${rung}:${config.key}`];
    const resumed = this.run.journal.has(kind, key);
    const result = await this.run.memo<JournaledEvaluation>(kind, key, async () => {
      const program = withState(this.base, state);
      const meter = new Meter();
      const measured = await metered(meter, () =>
        this.run.evaluateScores(program, this.order.slice(from, to), this.metric),
      );
      return measured === undefined ? undefined : { key: config.key, ...measured, calls: meter.calls };
    });
    if (!result || result.key !== config.key) return undefined;
    const score =
      rung === 0 ? result.score : (config.rungs[rung - 1] * from + result.score * (to - from)) / to;
    const full = rung === this.rungs.length - 1;
    if (config.scores.length === from && result.scores) config.scores.push(...result.scores);
    this.run.trial({
      kind: job.kind === 'trial' ? 'trial' : 'evaluation',
      number: job.kind === 'trial' ? job.index + 1 : job.number,
      total: job.kind === 'trial' ? this.options.numTrials : undefined,
      label:
        job.kind === 'trial'
          ? `trial ${job.index + 1} (${config.key})`
          : `rung ${rung + 1} of ${this.rungs.length}: configuration ${config.key}`,
      state,
      score,
      fidelity: full ? 'full' : 'minibatch',
      examples: to,
      calls: resumed ? 0 : result.calls,
      resumed,
    });
    if (full) {
      this.run.candidates.push({
        key: config.key,
        label: `configuration ${config.key}`,
        score,
        calls: result.calls,
        resumed,
        state,
      });
      if (config.scores.length === to) this.run.candidateScores.set(config.key, [...config.scores]);
    }
    return score;
  }

  private record(job: Job, config: Configuration, score: number | undefined): void {
    config.promoting = false;
    if (job.kind === 'trial') {
      this.history[job.observation] = { params: config.choice, state: 'complete', value: score ?? 0 };
      if (score !== undefined && config.rungs.length === 0) config.rungs.push(score);
      if (score === undefined || this.rungs.length > 1) return;
    } else {
      if (score === undefined) return;
      config.rungs.push(score);
      // The wider evaluation replaces the narrower one's noise in what the sampler learns from.
      this.history.push({ params: config.choice, value: score, state: 'complete' });
      if (job.rung < this.rungs.length - 1) return;
    }
    this.fullEvaluations++;
    if (score > this.best.score) {
      this.best = { score, state: this.space.stateOf(config.choice), key: this.space.keyOf(config.choice) };
    }
  }
}
