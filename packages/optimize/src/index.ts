/**
 * @sigil/optimize — optimizers that compile a Sigil program against a metric and a few examples.
 * This file is the package's one public door.
 * @module @sigil/optimize
 */

// shared machinery
export { Optimizer, type OptimizerOptions, type CompileData } from './optimizer/optimizer';
export { OptimizerRun, type CandidateSpec, type ScoredCandidate } from './optimizer/run';
export { BudgetExceededError, JournalError, OptimizerError } from './optimizer/errors';
export { Budget, Meter, metered, withCallOptions, type BudgetLimits } from './optimizer/budget';
export { Journal, fingerprint, type RunIdentity, type JournalOpenOptions } from './optimizer/journal';
export { TypedEmitter, type Listener, type OptimizerEvents } from './optimizer/events';
export type { StepEvent, CandidateEvent, TrialEvent, FinetuneEvent } from './optimizer/events';
export { reportOf } from './optimizer/report';
export type {
  OptimizationReport,
  StepRecord,
  CandidateRecord,
  CallCounts,
  Estimate,
  SearchSummary,
} from './optimizer/report';
export { candidateState, withState, setDemos, predictorPaths, type Demo } from './optimizer/candidate';

// few-shot optimizers
export { LabeledFewShot, type LabeledFewShotOptions } from './bootstrap/labeled-few-shot';
export { BootstrapFewShot, type BootstrapFewShotOptions } from './bootstrap/bootstrap-few-shot';
export { BootstrapRandomSearch, type BootstrapRandomSearchOptions } from './search/bootstrap-random-search';
export { KNNFewShot, type KNNFewShotOptions } from './knn/knn-few-shot';
export type { EmbedderLike } from './knn/nearest';
export { Ensemble, EnsembledProgram, type EnsembleOptions } from './ensemble/ensemble';

// MIPRO
export { MIPRO, type MIPROOptions, type Fidelity } from './mipro/mipro';
export { AUTO_PRESETS, trialsFor, type AutoPreset } from './mipro/presets';
export { TPESampler, optunaGamma, optunaWeights } from './mipro/tpe';
export type { TPEOptions, CategoricalDimension, TrialObservation } from './mipro/tpe';
export { InstructionProposer, PROPOSAL_TIPS, describeProgram } from './mipro/proposer';
export { SearchSpace } from './mipro/search-space';

// GEPA
export { GEPA } from './gepa/gepa';
export type { GEPAOptions, CandidateSelection } from './gepa/options';
export { GEPA_AUTO, autoMetricCalls, type GEPAPreset } from './gepa/budget';
export type { FrontierType } from './gepa/pool';
export type {
  GEPAReport,
  GEPACandidateRecord,
  GEPAProposalRecord,
  GEPAOrigin,
  ProposalStatus,
  ProposalEvent,
} from './gepa/report';
export { REFLECTION_TEMPLATE, reflectionPrompt, renderRecords, extractInstruction } from './gepa/reflection';
export { PyRandom } from './random/py-random';

// SIMBA
export { SIMBA, type SIMBAOptions } from './simba/simba';
export type { SIMBAReport, SIMBAStepRecord, SIMBABucketRecord } from './simba/report';
export { OfferFeedback } from './simba/strategies';
// weights
export {
  BootstrapFinetune,
  finetuneJobsOf,
  type BootstrapFinetuneOptions,
} from './finetune/bootstrap-finetune';
export { FinetuneError } from './finetune/errors';
export type { JobRecord } from './finetune/finetune-job';
export type {
  FineTuningClient,
  FineTuningJobLike,
  FineTuningEventLike,
  FinetuneRequestOptions,
} from './finetune/client';
export {
  BetterTogether,
  betterTogetherOf,
  type BetterTogetherOptions,
  type BetterTogetherResult,
} from './better-together/better-together';
