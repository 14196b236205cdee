import type { LanguageModel, Metric } from '@sigil/core';
import { OptimizerError } from '../optimizer/errors';
import type { OptimizerOptions } from '../optimizer/optimizer';
import { GEPA_AUTO, type GEPAPreset } from './budget';
import type { FrontierType } from './pool';

/** How GEPA picks the parent of each reflective mutation. */
export type CandidateSelection = 'pareto' | 'currentBest' | 'epsilonGreedy' | 'topKPareto';

/** Options of `GEPA`. Exactly one of `auto`, `maxMetricCalls` and `maxFullEvals` sets the budget. */
export interface GEPAOptions extends OptimizerOptions {
  /** Scores each run; `{ score, feedback }` tells reflection what went wrong (see `exactMatch(…, { feedback: true })`). */
  metric: Metric;
  /** The LM that writes new instructions (required: never the task LM by accident). Its calls count against `maxCalls`/`maxCost`. */
  reflectionLM: LanguageModel;
  /** DSPy's presets, in metric calls (from the number of instructions and the valset size). */
  auto?: GEPAPreset | null;
  /** The budget in metric calls (one program run scored): the primary knob. */
  maxMetricCalls?: number;
  /** The budget in full passes over trainset + valset. */
  maxFullEvals?: number;
  /** Train examples per reflective minibatch (default 3). */
  reflectionMinibatchSize?: number;
  /** Parent selection (default `'pareto'`). */
  candidateSelection?: CandidateSelection;
  /** `'roundRobin'` mutates one instruction per iteration (default); `'all'` rewrites every one. */
  componentSelector?: 'roundRobin' | 'all';
  /** `'strict'`: the child's minibatch sum must beat the parent's (default); `'improvementOrEqual'`: tie it. */
  acceptance?: 'strict' | 'improvementOrEqual';
  /** Skip an iteration whose parent is perfect on the whole minibatch (default true). */
  skipPerfectScore?: boolean;
  /** What counts as perfect (default 1). */
  perfectScore?: number;
  /** The score of a run whose program threw (a reply that failed to parse …; default 0). LM errors stop the run. */
  failureScore?: number;
  /** Show replies that failed to parse to the reflection LM, with the expected format (default false). */
  addFormatFailureAsFeedback?: boolean;
  /** Merge (crossover) of candidates that improved different instructions (default true). */
  useMerge?: boolean;
  /** The most merges tested (default 5). */
  maxMergeInvocations?: number;
  /** The fewest val ids two merge parents must share (default 5). */
  mergeValOverlapFloor?: number;
  /** What the Pareto fronts are over (default `'instance'`: one per val example). */
  frontierType?: FrontierType;
  /** Reuse (candidate, example) valset scores within the run (default false). */
  cacheEvaluation?: boolean;
  /** Stop at an iteration whose reflective dataset is empty instead of going on (default false). */
  raiseOnException?: boolean;
}

/** GEPA's options with every default filled in and the budget turned into metric calls. */
export interface ResolvedGEPAOptions {
  metric: Metric;
  reflectionLM: LanguageModel;
  maxMetricCalls: number;
  reflectionMinibatchSize: number;
  candidateSelection: CandidateSelection;
  componentSelector: 'roundRobin' | 'all';
  acceptance: 'strict' | 'improvementOrEqual';
  skipPerfectScore: boolean;
  perfectScore: number;
  failureScore: number;
  addFormatFailureAsFeedback: boolean;
  useMerge: boolean;
  maxMergeInvocations: number;
  mergeValOverlapFloor: number;
  frontierType: FrontierType;
  cacheEvaluation: boolean;
  raiseOnException: boolean;
}

const CHOICES = {
  candidateSelection: ['pareto', 'currentBest', 'epsilonGreedy', 'topKPareto'],
  componentSelector: ['roundRobin', 'all'],
  acceptance: ['strict', 'improvementOrEqual'],
  frontierType: ['instance', 'objective', 'hybrid', 'cartesian'],
} as const;

/** Checks GEPA's options; every problem is an `OptimizerError` that names the option. */
export function checkGEPAOptions(options: GEPAOptions): void {
  if (typeof options?.metric !== 'function') {
    throw new OptimizerError(
      'GEPA needs a metric — e.g. { metric: exactMatch("answer", { feedback: true }) }.',
    );
  }
  const lm = options.reflectionLM as { call?: unknown } | undefined;
  if (!lm || typeof lm.call !== 'function') {
    throw new OptimizerError(
      'GEPA needs reflectionLM: the LM that writes new instructions (e.g. a strong model: new LM("openai/gpt-4.1")). ' +
        'It is never the task LM by default — pass { reflectionLM } (sigil: --reflection-lm).',
    );
  }
  const budgets = (['auto', 'maxMetricCalls', 'maxFullEvals'] as const).filter((k) => options[k] != null);
  if (budgets.length !== 1) {
    throw new OptimizerError(
      `GEPA needs exactly one budget: auto ('light' | 'medium' | 'heavy'), maxMetricCalls or maxFullEvals — ` +
        `${budgets.length === 0 ? 'none was given' : `got ${budgets.join(' and ')}`}.`,
    );
  }
  if (options.auto != null && !(options.auto in GEPA_AUTO)) {
    throw new OptimizerError(
      `GEPA auto must be 'light', 'medium' or 'heavy', got ${JSON.stringify(options.auto)}.`,
    );
  }
  for (const name of ['maxMetricCalls', 'maxFullEvals', 'maxMergeInvocations'] as const) {
    const value = options[name];
    if (value !== undefined && !(Number.isInteger(value) && value >= 0)) {
      throw new OptimizerError(`GEPA ${name} must be a whole number ≥ 0, got ${value}.`);
    }
  }
  for (const name of ['reflectionMinibatchSize', 'mergeValOverlapFloor'] as const) {
    const value = options[name];
    if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
      throw new OptimizerError(`GEPA ${name} must be a whole number ≥ 1, got ${value}.`);
    }
  }
  for (const [name, allowed] of Object.entries(CHOICES)) {
    const value = (options as unknown as Record<string, unknown>)[name];
    if (value !== undefined && !(allowed as readonly unknown[]).includes(value)) {
      throw new OptimizerError(
        `GEPA ${name} must be ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value)}.`,
      );
    }
  }
}

/** The options in force for a run of `components` instructions over this data. */
export function resolveGEPAOptions(options: GEPAOptions, maxMetricCalls: number): ResolvedGEPAOptions {
  return {
    metric: options.metric,
    reflectionLM: options.reflectionLM,
    maxMetricCalls,
    reflectionMinibatchSize: options.reflectionMinibatchSize ?? 3,
    candidateSelection: options.candidateSelection ?? 'pareto',
    componentSelector: options.componentSelector ?? 'roundRobin',
    acceptance: options.acceptance ?? 'strict',
    skipPerfectScore: options.skipPerfectScore ?? true,
    perfectScore: options.perfectScore ?? 1,
    failureScore: options.failureScore ?? 0,
    addFormatFailureAsFeedback: options.addFormatFailureAsFeedback ?? false,
    useMerge: options.useMerge ?? true,
    maxMergeInvocations: options.maxMergeInvocations ?? 5,
    mergeValOverlapFloor: options.mergeValOverlapFloor ?? 5,
    frontierType: options.frontierType ?? 'instance',
    cacheEvaluation: options.cacheEvaluation ?? false,
    raiseOnException: options.raiseOnException ?? false,
  };
}
