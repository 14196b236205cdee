import './close';
export { Module, predictorsOf, copyDemos } from './module';
export type { PredictorParameters } from './parameters';
export type { FieldText, PredictorHandle } from './predictor-state';
export { Predict, type PredictOptions, type ForwardOptions } from './predict';
export { ChainOfThought, type WithReasoning } from './chain-of-thought';
export { Program } from './program';
export { Predictor, Submodule, Param, type ParamDeclaration } from './decorators';
export { ConfigurationError, ModuleInputError, ModuleRunError, OutputValidationError } from './errors';
export {
  Tool,
  ToolMethod,
  toolsOf,
  DEFAULT_TOOL_TIMEOUT_MS,
  type ToolArgs,
  type ToolCallOptions,
  type ToolContext,
  type ToolFunction,
  type ToolLike,
  type ToolOptions,
  type ToolSpec,
} from './tool';
export { ToolTimeoutError } from './tool-errors';
export {
  ReAct,
  type ReActForwardOptions,
  type ReActOptions,
  type ReActOutputs,
  type ReActStep,
  type Trajectory,
} from './react';
export {
  BestOfN,
  type Attempt,
  type AttemptState,
  type BestOfNOptions,
  type ModuleInputs,
  type ModuleOutputs,
  type RewardFn,
} from './best-of-n';
export { Refine, type RefineOptions } from './refine';
export {
  Parallel,
  type ParallelFailure,
  type ParallelOptions,
  type ParallelOutput,
  type ParallelReport,
} from './parallel';
export { majority, type MajorityOptions } from './majority';
export {
  MultiChainComparison,
  type ComparedCompletion,
  type ComparisonInputs,
  type MultiChainComparisonOptions,
  type WithRationale,
} from './multi-chain-comparison';
