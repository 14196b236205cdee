import { type Module, type ParameterHandle, predictorsOf, type StatePatch } from '@sigil/core';
import { statePatch } from '@sigil/core/internal';
import type { Demo } from '../optimizer/candidate';
import type { CategoricalDimension } from './tpe';

/** A choice of every dimension, as indices. */
export type Choice = Readonly<Record<string, number>>;

/**
 * The search space, built only from what reflection discovers: each predictor's instruction index and
 * demo-set index, and each `@Param`'s choice index.
 */
export class SearchSpace {
  readonly dimensions: CategoricalDimension[] = [];
  /** The choice that reproduces the program as given (current instructions, no new demos, current params). */
  readonly baseline: Record<string, number> = {};
  private readonly params: { handle: ParameterHandle; name: string }[] = [];
  private readonly handles: readonly ParameterHandle[];
  private readonly predictors: { path: string; instructions: ParameterHandle; demos: ParameterHandle }[];

  constructor(
    program: Module,
    private readonly instructions: Readonly<Record<string, readonly string[]>>,
    private readonly demoSets: Readonly<Record<string, readonly (readonly Demo[])[]>> | undefined,
  ) {
    this.handles = program.parameters();
    this.predictors = predictorsOf(program);
    for (const { path } of this.predictors) {
      this.add(`${path}:instruction`, instructions[path]?.length ?? 1, 0);
      if (demoSets) this.add(`${path}:demos`, demoSets[path]?.length ?? 1, 0);
    }
    for (const handle of this.handles) {
      if (handle.kind !== 'param' || !handle.choices) continue;
      const current = handle.choices.indexOf(handle.get());
      const name = `param:${handle.path}`;
      this.params.push({ handle, name });
      this.add(name, handle.choices.length, Math.max(0, current));
    }
  }

  /** The state a choice stands for: a patch of the chosen instructions, demo sets and `@Param` values. */
  stateOf(choice: Choice): StatePatch {
    const values: [ParameterHandle, unknown][] = [];
    for (const { path, instructions, demos } of this.predictors) {
      const candidates = this.instructions[path];
      if (candidates) values.push([instructions, candidates[choice[`${path}:instruction`] ?? 0]]);
      if (this.demoSets) values.push([demos, this.demoSets[path]?.[choice[`${path}:demos`] ?? 0] ?? []]);
    }
    for (const { handle, name } of this.params) values.push([handle, handle.choices![choice[name] ?? 0]]);
    return statePatch(values, this.handles);
  }

  /** A stable identity of a choice, for grouping repeated evaluations of the same configuration. */
  keyOf(choice: Choice): string {
    return this.dimensions.map((d) => `${d.name}=${choice[d.name] ?? 0}`).join(',');
  }

  /** The number of distinct configurations (what an exhaustive search would evaluate). */
  get size(): number {
    return this.dimensions.reduce((n, d) => n * d.size, 1);
  }

  private add(name: string, size: number, baseline: number): void {
    this.dimensions.push({ name, size: Math.max(1, size) });
    this.baseline[name] = baseline;
  }
}
