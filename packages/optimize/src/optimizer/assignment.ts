import type { Module } from '@sigil/core';
import { OptimizerError } from './errors';

/** A demonstration as predictors hold it: values of some or all of a signature's fields. */
export type Demo = Readonly<Record<string, unknown>>;

/**
 * Values for a program's learnable parameters, in plain JSON: what a candidate *is*. The journal stores
 * it, so a resumed run rebuilds a candidate without re-running whatever produced it.
 */
export interface Assignment {
  /** Per predictor path: the instructions and/or demos to set (absent = leave as is). */
  readonly predictors: Readonly<
    Record<string, { readonly instructions?: string; readonly demos?: readonly Demo[] }>
  >;
  /** Per `@Param` path: the index of the chosen value in its `choices`. */
  readonly params?: Readonly<Record<string, number>>;
}

/** Reads the current demos and instructions of every predictor (and the `@Param` choices) of `program`. */
export function readAssignment(program: Module): Assignment {
  const predictors: Record<string, { instructions: string; demos: Demo[] }> = {};
  for (const [path, predictor] of program.namedPredictors()) {
    predictors[path] = { instructions: predictor.instructions, demos: predictor.demos.map(copyDemo) };
  }
  const params: Record<string, number> = {};
  for (const parameter of program.parameters()) {
    if (parameter.kind !== 'param') continue;
    const index = parameter.choices.indexOf((parameter.owner as any)[parameter.property]);
    if (index >= 0) params[parameter.path] = index;
  }
  return Object.keys(params).length > 0 ? { predictors, params } : { predictors };
}

/**
 * Writes an assignment into `program` (in place): demos are copied, so candidates never share arrays.
 * Throws `OptimizerError` naming the path when the program has no such predictor or parameter.
 */
export function applyAssignment(program: Module, assignment: Assignment): void {
  const predictors = new Map(program.namedPredictors());
  for (const [path, values] of Object.entries(assignment.predictors)) {
    const predictor = predictors.get(path);
    if (!predictor) {
      throw new OptimizerError(
        `The assignment names predictor "${path}", which ${program.constructor.name} does not have ` +
          `(its predictors: ${[...predictors.keys()].join(', ')}). Was the journal written for another program?`,
      );
    }
    if (values.instructions !== undefined) predictor.instructions = values.instructions;
    if (values.demos !== undefined) predictor.demos = values.demos.map(copyDemo);
  }
  if (!assignment.params) return;
  const params = new Map(
    program
      .parameters()
      .filter((p) => p.kind === 'param')
      .map((p) => [p.path, p]),
  );
  for (const [path, index] of Object.entries(assignment.params)) {
    const parameter = params.get(path);
    if (!parameter || parameter.kind !== 'param' || !(index >= 0 && index < parameter.choices.length)) {
      throw new OptimizerError(
        `The assignment sets @Param "${path}" to choice #${index}, which ${program.constructor.name} does not have.`,
      );
    }
    (parameter.owner as any)[parameter.property] = parameter.choices[index];
  }
}

/** A demo made of an example's or a trace's fields, as a fresh plain object. */
export function copyDemo(demo: Demo): Demo {
  return { ...demo };
}
