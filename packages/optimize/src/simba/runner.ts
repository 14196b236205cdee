import {
  context,
  type Example,
  LMError,
  type Metric,
  type Module,
  Prediction,
  predictorsOf,
} from '@sigil/core';
import { mapConcurrently, type MetricValue, scoreOf, type TraceRecord } from '@sigil/core/internal';
import { withCallOptions } from '../optimizer/budget';
import { BudgetExceededError, OptimizerError } from '../optimizer/errors';
import type { OptimizerRun } from '../optimizer/run';
import type { SampledRun } from './sampling';
import type { StrategyOutcome } from './strategies';

/** One planned trajectory: which LM variant runs which program on which batch example. */
export interface PlannedRun {
  variant: number;
  example: number;
  program: number;
}

/**
 * SIMBA's paid work, journaled as it finishes (keyed by step, variant or candidate, and example), so a
 * resumed run replays its draws and decisions without paying again: trajectory runs, advice calls,
 * candidate scores and the final scores of the winners.
 */
export class SimbaRunner {
  constructor(
    private readonly run: OptimizerRun,
    private readonly metric: Metric,
    private readonly trainset: readonly Example[],
  ) {}

  /** The planned trajectories, each run with its variant's rollout id at temperature 1 (undefined: budget). */
  async sample(
    step: number,
    plan: readonly PlannedRun[],
    programs: readonly Module[],
  ): Promise<SampledRun[] | undefined> {
    const runs = await mapConcurrently(plan, this.run.concurrency, (entry) =>
      this.run.memo(`simba-run`, `${step}:${entry.variant}:${entry.example}`, () =>
        withCallOptions({ rolloutId: entry.variant, temperature: 1 }, () =>
          this.runOne(programs[entry.program], entry.example, entry.program),
        ),
      ),
    );
    return runs.some((r) => r === undefined) || this.run.interrupted ? undefined : (runs as SampledRun[]);
  }

  /** A strategy that may call the prompt model, journaled with the instructions it left (replayed on resume). */
  async advice(
    step: number,
    bucket: number,
    apply: () => Promise<StrategyOutcome>,
    candidate: Module,
  ): Promise<StrategyOutcome | undefined> {
    type Journaled = { outcome: StrategyOutcome; instructions: Record<string, string> };
    const key = `${step}:${bucket}`;
    const journaled = this.run.journal.get<Journaled>('simba-advice', key);
    if (journaled) {
      for (const p of predictorsOf(candidate)) {
        const text = journaled.instructions[p.path];
        if (text !== undefined) p.instructions.set(text);
      }
      return journaled.outcome;
    }
    if (this.run.outOfBudget) return undefined;
    const outcome = await apply();
    if (this.run.interrupted) return undefined;
    const instructions = Object.fromEntries(
      predictorsOf(candidate).map((p) => [p.path, p.instructions.get()]),
    );
    await this.run.journal.record('simba-advice', key, { outcome, instructions } satisfies Journaled);
    return outcome;
  }

  /** Each candidate's score on each batch example (undefined: budget). */
  async score(
    step: number,
    candidates: readonly Module[],
    batch: readonly number[],
  ): Promise<number[][] | undefined> {
    return this.scoreAll('simba-eval', (c, e) => `${step}:${c}:${e}`, candidates, batch);
  }

  /** The winners' scores on the whole trainset (undefined: budget). */
  async final(picked: readonly number[], programs: readonly Module[]): Promise<number[][] | undefined> {
    const ids = this.trainset.map((_, i) => i);
    return this.scoreAll(
      'simba-final',
      (c, e) => `${picked[c]}:${e}`,
      picked.map((p) => programs[p]),
      ids,
    );
  }

  private async scoreAll(
    kind: string,
    keyOf: (candidate: number, example: number) => string,
    candidates: readonly Module[],
    examples: readonly number[],
  ): Promise<number[][] | undefined> {
    const jobs = candidates.flatMap((_, c) => examples.map((example) => ({ c, example })));
    const scores = await mapConcurrently(jobs, this.run.concurrency, ({ c, example }) =>
      this.run.memo(
        kind,
        keyOf(c, example),
        async () => (await this.runOne(candidates[c], example, c))?.score,
      ),
    );
    if (scores.some((s) => s === undefined) || this.run.interrupted) return undefined;
    return candidates.map((_, c) => scores.slice(c * examples.length, (c + 1) * examples.length) as number[]);
  }

  /** Runs a copy of `program` on one train example with a trace, and scores it (undefined: budget). */
  private async runOne(program: Module, example: number, index: number): Promise<SampledRun | undefined> {
    if (this.run.outOfBudget) return undefined;
    const copy = program.clone();
    const paths = new Map<object, string>(predictorsOf(copy).map((p) => [p.demos.owner, p.path]));
    const records: TraceRecord[] = [];
    const item = this.trainset[example];
    let outputs: Record<string, unknown> | undefined;
    try {
      const prediction = await context({ trace: records }, () => copy.forward(item.inputs().toJSON()));
      outputs = JSON.parse(
        JSON.stringify((prediction as { toJSON?: () => unknown }).toJSON?.() ?? prediction),
      );
    } catch (error) {
      if (this.run.interrupted || BudgetExceededError.isInstance(error)) return undefined;
      if (LMError.isInstance(error)) throw error;
    }
    const trace = records.flatMap((r) => {
      const predictor = paths.get(r.predictor);
      return predictor === undefined
        ? []
        : [JSON.parse(JSON.stringify({ predictor, inputs: r.inputs, outputs: r.outputs }))];
    });
    if (outputs === undefined) return { example, program: index, score: 0, outputs: {}, trace, metadata: {} };
    let value: MetricValue;
    try {
      value = await this.metric(item, Prediction.from(outputs));
    } catch (error) {
      if (this.run.metricErrorPolicy === 'score-zero') {
        this.run.metricErrors++;
        return { example, program: index, score: 0, outputs, trace, metadata: {} };
      }
      throw new OptimizerError(
        `SIMBA: the metric threw on trainset example ${example}: ${(error as Error)?.message ?? error} — fix the metric.`,
        { cause: error },
      );
    }
    const score = scoreOf(value);
    const metadata =
      value !== null && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'score'))
        : {};
    return { example, program: index, score, outputs, trace, metadata };
  }
}
