import type { StatePatch } from '@sigil/core';
import type { CallCounts, OptimizationReport, TrialRecord } from './report';
import type { ProposalEvent } from '../gepa/report';

/** A step of an optimizer started or ended (`bootstrap`, `baseline`, `candidate 3`, …). */
export interface StepEvent {
  readonly name: string;
  readonly status: 'start' | 'end';
  /** The valset score (percent) the step measured, when it measured one. */
  readonly score?: number;
  /** LM calls of this step (on `end`). */
  readonly calls?: CallCounts;
}

/** A candidate program was scored (or its score was read back from the journal). */
export interface CandidateEvent {
  /** 0-based position in the optimizer's plan. */
  readonly index: number;
  readonly total: number;
  /** Stable id of the candidate within a run (the journal key), e.g. `seed:-3`. */
  readonly key: string;
  readonly label: string;
  /** Valset score in percent. */
  readonly score: number;
  /** Best score so far, including this one. */
  readonly best: number;
  /** LM calls the candidate cost when it was evaluated. */
  readonly calls: number;
  /** True when the score came from the journal of an earlier run. */
  readonly resumed: boolean;
}

/**
 * One scored configuration of a search (MIPRO, GEPA, SIMBA). Two kinds, each numbered on its own from 1:
 * a `trial` is an evaluation the search asked for (a MIPRO trial, a GEPA minibatch evaluation); an
 * `evaluation` scores a configuration already tried again, on more examples (MIPRO's full-valset
 * promotions, GEPA's valset evaluations of accepted candidates). Only `fidelity: 'full'` scores are
 * comparable with the baseline ("best so far" counts them alone).
 */
export interface TrialEvent extends Readonly<TrialRecord> {
  readonly state: StatePatch;
}

/**
 * A fine-tuning job moved (BootstrapFinetune): its training file was written, uploaded, the job created
 * (or found in the journal), polled, reported an event of its own, or finished.
 */
export interface FinetuneEvent {
  readonly phase: 'file' | 'upload' | 'job' | 'poll' | 'event' | 'done';
  /** What the job trains: a predictor path, or (multitask) the LM its predictors share. */
  readonly key: string;
  readonly predictors: readonly string[];
  /** The training file on disk. */
  readonly file?: string;
  readonly fileId?: string;
  readonly jobId?: string;
  /** The job's status as the provider reports it (`validating_files`, `running`, `succeeded` …). */
  readonly status?: string;
  /** A provider event's message (`Step 10/100: training loss=0.42`). */
  readonly message?: string;
  /** The fine-tuned model id, once the job succeeded. */
  readonly model?: string;
  /** True when the file or job came from the journal of an earlier run (nothing paid again). */
  readonly resumed?: boolean;
}

/** The events every optimizer emits; the CLI turns them into progress bars. */
export interface OptimizerEvents {
  step: StepEvent;
  candidate: CandidateEvent;
  trial: TrialEvent;
  /** GEPA: a proposal was judged (accepted, rejected, skipped or failed). */
  proposal: ProposalEvent;
  finetune: FinetuneEvent;
  done: { readonly report: OptimizationReport };
}

export { TypedEmitter, type Listener } from '@sigil/core/internal';
