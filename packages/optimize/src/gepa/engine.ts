import type { Example } from '@sigil/core';
import type { Meter } from '../optimizer/budget';
import { OptimizerError } from '../optimizer/errors';
import type { OptimizerRun } from '../optimizer/run';
import { PyRandom } from '../random/py-random';
import { selectComponents, selectParent } from './choices';
import type { Components, Texts } from './components';
import { CandidateEvaluator, type Evaluation, type Split } from './evaluator';
import { buildMerge, MergeHistory, mergeSubsample } from './merge';
import { Pool, type PoolMember } from './pool';
import { callReflection } from './reflect-call';
import { reflectiveRecords } from './reflective-dataset';
import { proposalEvent } from './proposal-event';
import type { GEPAProposalRecord, ProposalStatus } from './report';
import { EpochSampler } from './sampler';
import { GEPAWarnings } from './warnings';
import type { ResolvedGEPAOptions } from './options';

const percent = (raw: number) => Math.round(raw * 10000) / 100;
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/**
 * GEPA's loop over one compile: the seed's valset evaluation, then iterations of merge-or-reflect until the
 * metric-call budget (checked at the top of each iteration) or the LM budget ends. Deterministic for a
 * seed: one Python-compatible RNG for parent selection, minibatches and merges, a second for trace picks,
 * and every unit of paid work journaled, so a resumed run replays the same decisions for free.
 */
export class GEPAEngine {
  readonly pool: Pool;
  readonly proposals: GEPAProposalRecord[] = [];
  /** The acceptance test of each pool member (its minibatch or merge subsample and both sums). */
  readonly tests = new Map<number, { split: Split; ids: number[]; before: number; after: number }>();
  metricCalls = 0;
  fullValEvals = 0;
  iteration = -1;
  mergesTested = 0;
  mergesDue = 0;
  private foundNew = false;
  private stopped = false;
  private readonly rng: PyRandom;
  private readonly traceRng: PyRandom;
  private readonly history = new MergeHistory();
  private readonly evaluator: CandidateEvaluator;
  private readonly valIds: number[];
  private readonly warnings: GEPAWarnings;
  private trials = 0;
  private evaluations = 0;
  private readonly sampler: EpochSampler;

  constructor(
    private readonly run: OptimizerRun,
    private readonly options: ResolvedGEPAOptions,
    private readonly components: Components,
    private readonly data: { train: readonly Example[]; val: readonly Example[] },
  ) {
    this.rng = new PyRandom(run.seed);
    this.traceRng = new PyRandom(run.seed);
    this.sampler = new EpochSampler(options.reflectionMinibatchSize, this.rng);
    this.pool = new Pool(options.frontierType);
    this.evaluator = new CandidateEvaluator(run, components, data, {
      metric: options.metric,
      failureScore: options.failureScore,
      cacheEvaluation: options.cacheEvaluation,
      captureFailures: options.addFormatFailureAsFeedback,
    });
    this.valIds = data.val.map((_, i) => i);
    this.warnings = new GEPAWarnings(options.perfectScore, options.reflectionMinibatchSize);
  }

  /** Runs the whole loop; returns the pool index to hand back. */
  async optimize(): Promise<number> {
    const seed = this.components.seed();
    const evaluation = await this.run.step(
      'baseline',
      () => this.evaluator.evaluate(seed, 'val', this.valIds, true),
      (e) => (e.interrupted ? undefined : percent(mean([...e.runs.values()].map((r) => r.score)))),
    );
    if (evaluation.interrupted) throw this.run.baselineError('the seed program on the valset');
    this.metricCalls += evaluation.metricCalls;
    this.fullValEvals = 1;
    const member = this.pool.add(seed, [], -1, { kind: 'seed' }, evaluation.runs, 0);
    this.run.baselineScore = percent(member.aggregate);
    this.warnings.saw(evaluation);
    this.announce(member, evaluation, 'the seed');
    while (!this.shouldStop()) {
      this.iteration++;
      await this.run.step(`iteration ${this.iteration}`, (meter) => this.iterate(meter));
    }
    return this.pool.best();
  }

  private shouldStop(): boolean {
    return this.stopped || this.metricCalls >= this.options.maxMetricCalls || this.run.outOfBudget;
  }

  private async iterate(meter: Meter): Promise<void> {
    if (this.options.useMerge) {
      const due = this.mergesDue > 0 && this.foundNew;
      this.foundNew = false;
      if (due && (await this.merge(meter))) return;
    }
    try {
      await this.reflect(meter);
    } catch (error) {
      if (
        !OptimizerError.isInstance(error) ||
        error.code !== 'GEPA_NO_RECORDS' ||
        this.options.raiseOnException
      ) {
        throw error;
      }
    }
  }

  /** Step 2 of an iteration: a merge, when one can be built. False when none could (reflect instead). */
  private async merge(meter: Meter): Promise<boolean> {
    const names = this.components.paths;
    const child = buildMerge(this.pool, names, this.rng, this.history, this.options.mergeValOverlapFloor);
    if (!child) return false;
    const { i, j, ancestor } = child;
    this.history.triples.add(`${i},${j},${ancestor}`);
    const ids = mergeSubsample(this.pool, i, j, this.rng);
    const test = await this.evaluator.evaluate(child.texts, 'val', ids, true);
    if (test.interrupted) return this.stop();
    this.metricCalls += test.metricCalls;
    this.mergesTested++;
    const after = sum(ids.map((id) => test.runs.get(id)!.score));
    const sumOf = (index: number) => sum(ids.map((id) => this.pool.members[index].valScores.get(id)!));
    const before = Math.max(sumOf(i), sumOf(j));
    this.emitTrial(
      'trial',
      `iteration ${this.iteration}: merge of gepa #${i} and #${j}`,
      child.texts,
      test,
      ids.length,
    );
    const accepted = after >= before;
    const record = this.proposal('merge', [i, j], [], accepted ? 'accepted' : 'rejected', {
      reason: accepted
        ? `merged subsample score ${after} ≥ the better parent's ${before}`
        : `merged subsample score ${after} is worse than the better parent's ${before}`,
      split: 'val',
      ids,
      before,
      after,
    });
    if (accepted) {
      const member = await this.addCandidate(child.texts, [i, j], { kind: 'merge', ancestor }, meter);
      if (!member) return true;
      this.mergesDue--;
      record.candidate = member.index;
      this.tests.set(member.index, { split: 'val', ids, before, after });
    }
    this.emitProposal(record, 'merge', child.texts);
    return true;
  }

  /** Step 3: select a parent, test it on a minibatch, reflect, test the child, accept or reject. */
  private async reflect(meter: Meter): Promise<void> {
    const parent = this.pool.members[selectParent(this.pool, this.options.candidateSelection, this.rng)];
    const ids = this.sampler.next(this.data.train.length, this.iteration);
    const parentEval = await this.evaluator.evaluate(parent.texts, 'train', ids);
    if (parentEval.interrupted) return void this.stop();
    this.metricCalls += parentEval.metricCalls;
    this.warnings.saw(parentEval);
    const scores = ids.map((id) => parentEval.runs.get(id)!.score);
    this.emitTrial(
      'trial',
      `iteration ${this.iteration}: parent gepa #${parent.index}`,
      parent.texts,
      parentEval,
      ids.length,
    );
    if (parent.index === 0) this.warnings.seedMinibatch(scores);
    const before = sum(scores);
    if (this.options.skipPerfectScore && scores.every((s) => s >= this.options.perfectScore)) {
      const reason = `every minibatch score is ≥ perfectScore ${this.options.perfectScore}`;
      const record = this.proposal('reflection', [parent.index], [], 'skipped-perfect', {
        reason,
        split: 'train',
        ids,
        before,
      });
      return this.emitProposal(record, '', parent.texts);
    }
    const names = selectComponents(parent, this.components.paths, this.options.componentSelector);
    const program = this.components.programOf(parent.texts);
    const evalKeyOf = (id: number) => `${parent.hash}:train:${id}:${this.iteration}`;
    const reflections: GEPAProposalRecord['reflections'] = [];
    const newTexts: Record<string, string> = {};
    for (const component of names) {
      const records = await reflectiveRecords({
        run: this.run,
        evaluator: this.evaluator,
        program,
        component,
        evaluation: parentEval,
        ids,
        rng: this.traceRng,
        includeFormatFailures: this.options.addFormatFailureAsFeedback,
        evalKeyOf,
        warnings: this.warnings,
      });
      if (records.length === 0) continue;
      this.warnings.noFeedback();
      const reflection = await this.run.memo(
        'gepa-reflect',
        `${this.iteration}:${parent.index}:${component}`,
        () =>
          callReflection(
            this.run,
            this.options.reflectionLM,
            parent.texts[component],
            records,
            this.components.toolContext(component),
          ),
      );
      if (!reflection || this.run.interrupted) return void this.stop();
      reflections.push({ component, ...reflection });
      newTexts[component] = reflection.proposed;
    }
    const rewritten = Object.keys(newTexts);
    if (rewritten.length === 0) {
      const reason = 'No valid predictions found for any module.';
      this.emitProposal(
        this.proposal('reflection', [parent.index], names, 'failed', { reason, split: 'train', ids, before }),
        names[0],
        parent.texts,
      );
      throw new OptimizerError(`GEPA iteration ${this.iteration}: ${reason}`, { code: 'GEPA_NO_RECORDS' });
    }
    const empty = rewritten.filter((name) => newTexts[name].trim() === '');
    if (empty.length > 0) {
      const reason = `the reflection LM proposed no instruction for ${empty.join(', ')}`;
      const record = this.proposal('reflection', [parent.index], rewritten, 'failed', {
        reason,
        split: 'train',
        ids,
        before,
      });
      record.reflections = reflections;
      return this.emitProposal(record, rewritten[0], parent.texts);
    }
    const child: Texts = { ...parent.texts, ...newTexts };
    const childEval = await this.evaluator.evaluate(child, 'train', ids);
    if (childEval.interrupted) return void this.stop();
    this.metricCalls += childEval.metricCalls;
    this.emitTrial(
      'trial',
      `iteration ${this.iteration}: proposal from gepa #${parent.index}`,
      child,
      childEval,
      ids.length,
    );
    const after = sum(ids.map((id) => childEval.runs.get(id)!.score));
    const accepted = this.options.acceptance === 'strict' ? after > before : after >= before;
    const reason = accepted
      ? `new subsample score ${after} beats old score ${before}`
      : `new subsample score ${after} is not better than old score ${before}`;
    const record = this.proposal(
      'reflection',
      [parent.index],
      rewritten,
      accepted ? 'accepted' : 'rejected',
      {
        reason,
        split: 'train',
        ids,
        before,
        after,
      },
    );
    record.reflections = reflections;
    if (accepted) {
      const member = await this.addCandidate(
        child,
        [parent.index],
        { kind: 'reflection', components: rewritten },
        meter,
      );
      if (!member) return;
      record.candidate = member.index;
      this.tests.set(member.index, { split: 'train', ids: [...ids], before, after });
      this.foundNew = true;
      if (this.options.useMerge && this.mergesTested < this.options.maxMergeInvocations) this.mergesDue++;
    }
    this.emitProposal(record, rewritten.length === 1 ? rewritten[0] : rewritten.join(', '), child);
  }

  /** The valset evaluation of an accepted child and its entry into the pool (undefined: budget ran out). */
  private async addCandidate(
    texts: Texts,
    parents: number[],
    origin: PoolMember['origin'],
    meter: Meter,
  ): Promise<PoolMember | undefined> {
    const evaluation = await this.evaluator.evaluate(texts, 'val', this.valIds, true);
    if (evaluation.interrupted) return void this.stop();
    const discoveredAt = this.metricCalls;
    this.metricCalls += evaluation.metricCalls;
    this.fullValEvals++;
    const member = this.pool.add(texts, parents, this.iteration, origin, evaluation.runs, discoveredAt);
    this.announce(member, evaluation, `gepa #${member.index}`, meter.calls);
    return member;
  }

  private stop(): boolean {
    this.stopped = true;
    return true;
  }

  private proposal(
    kind: GEPAProposalRecord['kind'],
    parents: number[],
    components: string[],
    status: ProposalStatus,
    details: Partial<GEPAProposalRecord> & { reason: string },
  ): GEPAProposalRecord {
    const record: GEPAProposalRecord = {
      iteration: this.iteration,
      kind,
      parents,
      components,
      status,
      reflections: [],
      ...details,
    };
    this.proposals.push(record);
    return record;
  }

  private emitProposal(record: GEPAProposalRecord, component: string, after: Texts): void {
    record.metricCalls = this.metricCalls;
    this.run.emit(
      'proposal',
      proposalEvent(record, component, after, this.pool, this.options.maxMetricCalls),
    );
  }

  private emitTrial(
    kind: 'trial' | 'evaluation',
    label: string,
    texts: Texts,
    evaluation: Evaluation,
    examples: number,
  ): void {
    const scores = [...evaluation.runs.values()].map((r) => r.score);
    const full = kind === 'evaluation';
    this.run.trial({
      kind,
      number: full ? ++this.evaluations : ++this.trials,
      label,
      fidelity: full ? 'full' : 'minibatch',
      score: percent(mean(scores)),
      examples,
      calls: evaluation.lmCalls,
      resumed: evaluation.resumed === examples && examples > 0,
      state: this.components.stateOf(texts),
    });
  }

  /** The trial and candidate events of a pool addition, and its record for `report.candidates`. */
  private announce(
    member: PoolMember,
    evaluation: Evaluation,
    what: string,
    calls = evaluation.lmCalls,
  ): void {
    this.emitTrial('evaluation', `${what} on the valset`, member.texts, evaluation, this.valIds.length);
    const resumed = evaluation.resumed === this.valIds.length;
    const record = {
      key: `gepa:${member.index}`,
      label: `gepa #${member.index}`,
      score: percent(member.aggregate),
      calls,
      resumed,
      state: this.components.stateOf(member.texts),
    };
    this.run.candidates.push(record);
    this.run.emit('candidate', {
      index: member.index,
      total: this.pool.members.length,
      key: record.key,
      label: record.label,
      score: record.score,
      best: percent(this.pool.members[this.pool.best()].aggregate),
      calls,
      resumed,
    });
  }
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : sum(values) / values.length;
}
