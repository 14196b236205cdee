import type { Module } from '@sigil/core';
import type { Assignment, Demo } from '../optimizer/assignment';
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
  private readonly params: { path: string; name: string; choices: readonly unknown[] }[] = [];

  constructor(
    program: Module,
    private readonly instructions: Readonly<Record<string, readonly string[]>>,
    private readonly demoSets: Readonly<Record<string, readonly (readonly Demo[])[]>> | undefined,
  ) {
    for (const [path] of program.namedPredictors()) {
      this.add(`${path}:instruction`, instructions[path]?.length ?? 1, 0);
      if (demoSets) this.add(`${path}:demos`, demoSets[path]?.length ?? 1, 0);
    }
    for (const parameter of program.parameters()) {
      if (parameter.kind !== 'param') continue;
      const current = parameter.choices.indexOf((parameter.owner as any)[parameter.property]);
      const name = `param:${parameter.path}`;
      this.params.push({ path: parameter.path, name, choices: parameter.choices });
      this.add(name, parameter.choices.length, Math.max(0, current));
    }
  }

  /** The assignment a choice stands for (what the journal stores and `applyAssignment` writes). */
  assignmentOf(choice: Choice): Assignment {
    const predictors: Record<string, { instructions?: string; demos?: readonly Demo[] }> = {};
    for (const [path, candidates] of Object.entries(this.instructions)) {
      const entry: { instructions?: string; demos?: readonly Demo[] } = {
        instructions: candidates[choice[`${path}:instruction`] ?? 0],
      };
      if (this.demoSets) entry.demos = this.demoSets[path]?.[choice[`${path}:demos`] ?? 0] ?? [];
      predictors[path] = entry;
    }
    const params: Record<string, number> = {};
    for (const p of this.params) params[p.path] = choice[p.name] ?? 0;
    return this.params.length > 0 ? { predictors, params } : { predictors };
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
