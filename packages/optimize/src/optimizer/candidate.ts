import { type Module, predictorsOf, type StatePatch } from '@sigil/core';
import { statePatch } from '@sigil/core/internal';
import { demoReach } from '@sigil/core/internal';

/** A demonstration as predictors hold it: values of some or all of a signature's fields. */
export type Demo = Readonly<Record<string, unknown>>;

/**
 * The learnable state of `program` as a patch in DSPy's saved-program shape: what a candidate *is*, what
 * the journal stores, and what `withState` (or `program.loadState(patch, { partial: true })`) applies.
 */
export function candidateState(program: Module): StatePatch {
  const handles = program.parameters();
  return statePatch(
    handles.filter((h) => h.learnable).map((h) => [h, h.get()] as const),
    handles,
  );
}

/** A copy of `base` with `patch` applied (a journaled candidate turned back into a program). */
export function withState(base: Module, patch: StatePatch): Module {
  return base.clone().loadState(patch, { partial: true });
}

/**
 * Gives every predictor of `program` (in place) the demos `demosFor` returns for its path and position —
 * only those that can reach its prompt: a demo without any of a predictor's inputs, or without any of its
 * outputs, is dropped by the adapter, so it is neither chosen nor reported (a labelled example holds no
 * `next_thought` for ReAct's step predictor).
 */
export function setDemos(program: Module, demosFor: (path: string, index: number) => readonly Demo[]): void {
  predictorsOf(program).forEach((p, index) => {
    const signature = p.demos.signature;
    p.demos.set(demosFor(p.path, index).filter((demo) => demoReach(signature, demo) !== 'never'));
  });
}

/** The predictor paths of `program`, in walk order. */
export function predictorPaths(program: Module): string[] {
  return predictorsOf(program).map((p) => p.path);
}
