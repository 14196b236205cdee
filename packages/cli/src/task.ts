import type { Example, LanguageModel, Metric, Module } from '@sigil/core';

/** A value, or a function (possibly async) that makes it — so a task file can load data lazily. */
export type Lazy<T> = T | (() => T | Promise<T>);

/**
 * What a task file exports for the `sigil` command: the program to run and optimize, its data, its metric,
 * and (optionally) the LM it runs against when neither `--lm` nor `SIGIL_LM` is given.
 */
export interface TaskDefinition<P extends Module = Module> {
  /** Shown in progress output and reports (default: the file name). */
  name?: string;
  /** The program, or a factory: the CLI makes a fresh program per command. */
  program: Lazy<P>;
  trainset: Lazy<readonly Example[]>;
  /** Scores candidates and `sigil evaluate` (default: the trainset). */
  valset?: Lazy<readonly Example[]>;
  metric: Metric;
  /** The LM to use when `--lm` / `SIGIL_LM` are not set (e.g. the offline simulator). */
  lm?: Lazy<LanguageModel>;
  /**
   * The LM that writes instructions for GEPA (and rules for SIMBA) when `--reflection-lm` is not given —
   * usually a stronger model than `lm`. GEPA never falls back to the task LM.
   */
  reflectionLM?: Lazy<LanguageModel>;
}

/**
 * Declares a task for the `sigil` CLI. Export it as the file's default export.
 * @example export default defineTask({ program: () => new Predict(QA), trainset, valset, metric: exactMatch('answer') });
 */
export function defineTask<P extends Module>(task: TaskDefinition<P>): TaskDefinition<P> {
  return task;
}
