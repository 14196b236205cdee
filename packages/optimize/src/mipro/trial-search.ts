import { type Example, type Metric, type Module, sample } from '@sigil/core';
import type { StatePatch } from '@sigil/core';
import { withState } from '../optimizer/candidate';
import { Meter, metered } from '../optimizer/budget';
import type { OptimizerRun } from '../optimizer/run';
import type { Choice, SearchSpace } from './search-space';
import { type TrialObservation, TPESampler } from './tpe';

export interface TrialSearchOptions {
  numTrials: number;
  minibatch: boolean;
  minibatchSize: number;
  fullEvalSteps: number;
  parallel: number;
  startupTrials: number;
  random: () => number;
  /** Full-valset score of the program as given (the search's first observation). */
  baseline: number;
}

interface Configuration {
  choice: Choice;
  scores: number[];
  full?: number;
}

interface JournaledTrial {
  key: string;
  score: number;
  calls: number;
  /** Per valset example (full evaluations only; for the selection estimate). */
  scores?: number[];
}

/**
 * The search loop: TPE proposes `parallel` trials at a time (running ones told as bad), each scored on a
 * fresh minibatch of the valset; every `fullEvalSteps` trials the configuration with the best mean
 * minibatch score that has not been fully evaluated is scored on the whole valset (DSPy's multi-fidelity
 * schedule). Trials and full evaluations are journaled, so a resumed run replays them for free.
 */
export class TrialSearch {
  private readonly sampler: TPESampler;
  private readonly history: TrialObservation[] = [];
  private readonly configurations = new Map<string, Configuration>();
  private best: { score: number; state?: StatePatch; key?: string };
  private trialsDone = 0;
  /** Full-valset evaluations made (or replayed) so far. */
  fullEvaluations = 0;

  constructor(
    private readonly run: OptimizerRun,
    private readonly space: SearchSpace,
    private readonly base: Module,
    private readonly valset: readonly Example[],
    private readonly metric: Metric,
    private readonly options: TrialSearchOptions,
  ) {
    this.sampler = new TPESampler(space.dimensions, {
      random: options.random,
      nStartupTrials: options.startupTrials,
    });
    this.history.push({ params: space.baseline, value: options.baseline, state: 'complete' });
    const baselineKey = space.keyOf(space.baseline);
    this.configurations.set(baselineKey, { choice: space.baseline, scores: [], full: options.baseline });
    this.best = { score: options.baseline };
  }

  /** Runs every trial (or until the budget ends) and returns the best fully evaluated configuration. */
  async search(): Promise<{ score: number; state?: StatePatch; key?: string }> {
    const { numTrials, parallel, fullEvalSteps } = this.options;
    let nextFullEval = fullEvalSteps;
    while (this.trialsDone < numTrials && !this.run.outOfBudget) {
      const count = Math.min(parallel, numTrials - this.trialsDone);
      const batch: { index: number; choice: Choice; observation: number }[] = [];
      for (let i = 0; i < count; i++) {
        const choice = this.sampler.suggest(this.history);
        this.history.push({ params: choice, state: 'running' });
        batch.push({ index: this.trialsDone + i, choice, observation: this.history.length - 1 });
      }
      const results = await Promise.all(batch.map((t) => this.trial(t.index, t.choice)));
      for (let i = 0; i < batch.length; i++) {
        const score = results[i];
        const { choice, observation } = batch[i];
        if (score === undefined) {
          this.history[observation] = { params: choice, state: 'complete', value: 0 };
          continue;
        }
        this.history[observation] = { params: choice, state: 'complete', value: score };
        const config = this.configurationOf(choice);
        config.scores.push(score);
        if (!this.options.minibatch) this.consider(config, score);
      }
      this.trialsDone += count;
      if (this.options.minibatch && (this.trialsDone >= nextFullEval || this.trialsDone >= numTrials)) {
        nextFullEval += fullEvalSteps;
        await this.promote();
      }
    }
    if (this.options.minibatch && !this.run.outOfBudget) await this.promote();
    return this.best;
  }

  private async trial(index: number, choice: Choice): Promise<number | undefined> {
    const key = this.space.keyOf(choice);
    const fidelity = this.options.minibatch ? 'minibatch' : 'full';
    const state = this.space.stateOf(choice);
    const resumed = this.run.journal.has('trial', String(index));
    const result = await this.run.memo<JournaledTrial>('trial', String(index), async () => {
      const devset = this.options.minibatch
        ? sample(this.valset, this.options.minibatchSize, `${this.run.seed}:minibatch:${index}`)
        : this.valset;
      const meter = new Meter();
      const measured = await metered(meter, () =>
        this.run.evaluateScores(withState(this.base, state), devset, this.metric),
      );
      if (measured === undefined) return undefined;
      const scores = this.options.minibatch ? {} : { scores: measured.scores };
      return { key, score: measured.score, calls: meter.calls, ...scores };
    });
    if (!result || result.key !== key) return undefined;
    this.run.trial({
      kind: 'trial',
      number: index + 1,
      total: this.options.numTrials,
      label: `trial ${index + 1} (${key})`,
      state,
      score: result.score,
      fidelity,
      examples: this.options.minibatch
        ? Math.min(this.options.minibatchSize, this.valset.length)
        : this.valset.length,
      calls: resumed ? 0 : result.calls,
      resumed,
    });
    if (!this.options.minibatch) this.recordCandidate(key, state, result, resumed);
    return result.score;
  }

  /** Scores the best-averaging configuration not yet fully evaluated on the whole valset. */
  private async promote(): Promise<void> {
    let pick: Configuration | undefined;
    let pickMean = -Infinity;
    for (const config of this.configurations.values()) {
      if (config.full !== undefined || config.scores.length === 0) continue;
      const mean = config.scores.reduce((a, b) => a + b, 0) / config.scores.length;
      if (mean > pickMean) {
        pick = config;
        pickMean = mean;
      }
    }
    if (!pick || this.run.outOfBudget) return;
    const key = this.space.keyOf(pick.choice);
    const state = this.space.stateOf(pick.choice);
    const resumed = this.run.journal.has('full', key);
    const result = await this.run.memo<JournaledTrial>('full', key, async () => {
      const meter = new Meter();
      const measured = await metered(meter, () =>
        this.run.evaluateScores(withState(this.base, state), this.valset, this.metric),
      );
      return measured === undefined ? undefined : { key, ...measured, calls: meter.calls };
    });
    if (!result) return;
    this.fullEvaluations++;
    pick.full = result.score;
    // The full score replaces the minibatch noise in what the sampler learns from.
    this.history.push({ params: pick.choice, value: result.score, state: 'complete' });
    this.run.trial({
      kind: 'evaluation',
      number: this.fullEvaluations,
      label: `full valset: configuration ${key} (after ${this.trialsDone} trials)`,
      state,
      score: result.score,
      fidelity: 'full',
      examples: this.valset.length,
      calls: resumed ? 0 : result.calls,
      resumed,
    });
    this.recordCandidate(key, state, result, resumed);
    this.consider(pick, result.score);
  }

  /** A fully evaluated configuration, for `report.candidates` and the selection estimate. */
  private recordCandidate(key: string, state: StatePatch, result: JournaledTrial, resumed: boolean): void {
    if (this.run.candidates.some((c) => c.key === key)) return;
    this.run.candidates.push({
      key,
      label: `configuration ${key}`,
      score: result.score,
      calls: result.calls,
      resumed,
      state,
    });
    if (result.scores) this.run.candidateScores.set(key, result.scores);
  }

  private consider(config: Configuration, score: number): void {
    if (!this.options.minibatch) config.full = Math.max(config.full ?? -Infinity, score);
    if (score > this.best.score) {
      this.best = { score, state: this.space.stateOf(config.choice), key: this.space.keyOf(config.choice) };
    }
  }

  private configurationOf(choice: Choice): Configuration {
    const key = this.space.keyOf(choice);
    let config = this.configurations.get(key);
    if (!config) this.configurations.set(key, (config = { choice, scores: [] }));
    return config;
  }
}
