/** `--optimizer <name>` and its options → an `Optimizer` of @sigil/optimize. */
import type { LanguageModel, Metric } from '@sigil/core';
import {
  type AutoPreset,
  BootstrapFewShot,
  BootstrapRandomSearch,
  GEPA,
  LabeledFewShot,
  MIPRO,
  type Optimizer,
  type OptimizerOptions,
  SIMBA,
} from '@sigil/optimize';
import { OptionError } from '../errors';

export const OPTIMIZER_NAMES = ['mipro', 'gepa', 'simba', 'bootstrap', 'random-search', 'labeled'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];
export const AUTO_NAMES = ['light', 'medium', 'heavy'] as const;

/** What the command line says about the optimizer. */
export interface OptimizerFlags {
  optimizer: OptimizerName;
  auto?: AutoPreset;
  budgetCalls?: number;
  budgetCost?: number;
  seed?: number;
  concurrency?: number;
  trials?: number;
  candidates?: number;
  /** Teacher runs that may fail before bootstrapping stops. */
  maxErrors?: number;
  metricErrors?: 'stop' | 'score-zero';
  maxMetricCalls?: number;
  steps?: number;
  reflectionLm?: string;
}

/** Which optimizers each specific option applies to. */
const APPLIES_TO: Record<
  'auto' | 'trials' | 'candidates' | 'maxMetricCalls' | 'steps' | 'reflectionLm',
  readonly OptimizerName[]
> = {
  auto: ['mipro', 'gepa'],
  trials: ['mipro'],
  candidates: ['mipro', 'random-search', 'simba'],
  maxMetricCalls: ['gepa'],
  steps: ['simba'],
  reflectionLm: ['gepa', 'simba'],
};

const FLAG_NAMES: Record<keyof typeof APPLIES_TO, string> = {
  auto: '--auto',
  trials: '--trials',
  candidates: '--candidates',
  maxMetricCalls: '--max-metric-calls',
  steps: '--steps',
  reflectionLm: '--reflection-lm',
};

/** Checks that every option given applies to the chosen optimizer (before anything is loaded). */
export function checkOptimizerFlags(flags: OptimizerFlags): void {
  for (const [option, names] of Object.entries(APPLIES_TO)) {
    if (flags[option as keyof typeof APPLIES_TO] !== undefined && !names.includes(flags.optimizer)) {
      throw new OptionError(
        `${FLAG_NAMES[option as keyof typeof APPLIES_TO]} applies to --optimizer ${names.join(' or ')}, not ${flags.optimizer} — drop it or change the optimizer.`,
      );
    }
  }
  if (flags.optimizer === 'gepa' && flags.auto !== undefined && flags.maxMetricCalls !== undefined) {
    throw new OptionError(
      'GEPA takes one budget: --auto <preset> or --max-metric-calls <n>, not both — drop one of them.',
    );
  }
}

/** Builds the optimizer; `journal`/`resume` come from the caller (they depend on `--out`). */
export function buildOptimizer(
  flags: OptimizerFlags,
  metric: Metric,
  run: {
    journal: string;
    resume: boolean;
    fresh: boolean;
    signal?: AbortSignal;
    reflectionLM?: LanguageModel;
    backend?: OptimizerOptions['backend'];
  },
): Optimizer {
  checkOptimizerFlags(flags);
  const common: OptimizerOptions = {
    seed: flags.seed,
    maxCalls: flags.budgetCalls,
    maxCost: flags.budgetCost,
    concurrency: flags.concurrency,
    journal: run.journal,
    resume: run.resume,
    fresh: run.fresh,
    signal: run.signal,
    metricErrors: flags.metricErrors,
    backend: run.backend,
  };
  const maxErrors = flags.maxErrors;
  switch (flags.optimizer) {
    case 'mipro':
      return new MIPRO({
        ...common,
        metric,
        auto: flags.auto ?? 'light',
        numTrials: flags.trials,
        numCandidates: flags.candidates,
        maxErrors,
      });
    case 'gepa':
      if (maxErrors !== undefined)
        throw new OptionError('--max-errors applies to optimizers that bootstrap, not gepa.');
      if (!run.reflectionLM) {
        throw new OptionError(
          'GEPA needs a reflection LM, the model that writes new instructions: pass --reflection-lm <model> ' +
            '(e.g. --reflection-lm openai/gpt-4.1), or give the task one in defineTask({ …, reflectionLM }). ' +
            'It is never the task LM by default.',
        );
      }
      return new GEPA({
        ...common,
        metric,
        reflectionLM: run.reflectionLM,
        ...(flags.maxMetricCalls !== undefined
          ? { maxMetricCalls: flags.maxMetricCalls }
          : { auto: flags.auto ?? 'light' }),
      });
    case 'simba':
      if (maxErrors !== undefined)
        throw new OptionError('--max-errors applies to optimizers that bootstrap, not simba.');
      return new SIMBA({
        ...common,
        metric,
        numCandidates: flags.candidates,
        maxSteps: flags.steps,
        promptModel: run.reflectionLM,
      });
    case 'random-search':
      return new BootstrapRandomSearch({
        ...common,
        metric,
        numCandidatePrograms: flags.candidates,
        maxErrors,
      });
    case 'bootstrap':
      return new BootstrapFewShot({ ...common, metric, maxErrors });
    case 'labeled':
      if (maxErrors !== undefined)
        throw new OptionError('--max-errors applies to optimizers that bootstrap, not labeled.');
      return new LabeledFewShot({ ...common, metric });
  }
}

/** `MIPRO (auto: light)`, `GEPA (400 metric calls)`, `BootstrapRandomSearch (8 candidates)`… */
export function describeOptimizer(flags: OptimizerFlags, optimizer: Optimizer): string {
  const details: string[] = [];
  if (flags.optimizer === 'mipro') details.push(`auto: ${flags.auto ?? 'light'}`);
  if (flags.optimizer === 'gepa') {
    details.push(
      flags.maxMetricCalls !== undefined
        ? `${flags.maxMetricCalls} metric calls`
        : `auto: ${flags.auto ?? 'light'}`,
    );
  }
  if (flags.trials !== undefined) details.push(`${flags.trials} trials`);
  if (flags.candidates !== undefined) details.push(`${flags.candidates} candidates`);
  if (flags.steps !== undefined) details.push(`${flags.steps} steps`);
  details.push(`seed ${flags.seed ?? 0}`);
  return `${optimizer.name} (${details.join(', ')})`;
}
