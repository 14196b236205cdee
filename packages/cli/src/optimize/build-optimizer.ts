/** `--optimizer <name>` and its options → an `Optimizer` of @sigil/optimize. */
import type { Metric } from '@sigil/core';
import {
  type AutoPreset,
  BootstrapFewShot,
  BootstrapRandomSearch,
  LabeledFewShot,
  MIPRO,
  type Optimizer,
  type OptimizerOptions,
} from '@sigil/optimize';
import { OptionError } from '../errors';

export const OPTIMIZER_NAMES = ['mipro', 'bootstrap', 'random-search', 'labeled'] as const;
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
}

/** Which optimizers each specific option applies to. */
const APPLIES_TO: Record<'auto' | 'trials' | 'candidates', readonly OptimizerName[]> = {
  auto: ['mipro'],
  trials: ['mipro'],
  candidates: ['mipro', 'random-search'],
};

/** Builds the optimizer; `journal`/`resume` come from the caller (they depend on `--out`). */
export function buildOptimizer(
  flags: OptimizerFlags,
  metric: Metric,
  run: { journal: string; resume: boolean; fresh: boolean; signal?: AbortSignal },
): Optimizer {
  for (const [option, names] of Object.entries(APPLIES_TO)) {
    if (flags[option as keyof typeof APPLIES_TO] !== undefined && !names.includes(flags.optimizer)) {
      throw new OptionError(
        `--${option} applies to --optimizer ${names.join(' or ')}, not ${flags.optimizer} — drop it or change the optimizer.`,
      );
    }
  }
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

/** `MIPRO (auto: light)`, `BootstrapRandomSearch (8 candidates)`… */
export function describeOptimizer(flags: OptimizerFlags, optimizer: Optimizer): string {
  const details: string[] = [];
  if (flags.optimizer === 'mipro') details.push(`auto: ${flags.auto ?? 'light'}`);
  if (flags.trials !== undefined) details.push(`${flags.trials} trials`);
  if (flags.candidates !== undefined) details.push(`${flags.candidates} candidates`);
  details.push(`seed ${flags.seed ?? 0}`);
  return `${optimizer.name} (${details.join(', ')})`;
}
