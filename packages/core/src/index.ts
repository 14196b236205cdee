/**
 * @sigil/core — signatures, modules, adapters, the LM client and evaluation.
 * This file is the package's one public door: every name a user imports is listed here on purpose (the
 * API report in etc/ makes each addition visible in review). What sibling packages and tests need besides
 * lives in `@sigil/core/internal`.
 * @module @sigil/core
 */
import 'reflect-metadata';

// Errors: one family, one class per kind a caller may branch on (see docs/errors.md for the codes).
export { SigilError, InvalidOptionError } from './errors/sigil-error';
export type { SigilErrorOptions } from './errors/sigil-error';
export { SignatureError } from './signature/errors';
export { AdapterFormatError, AdapterParseError } from './adapter/errors';
export {
  ConfigurationError,
  ModuleInputError,
  ModuleRunError,
  OutputValidationError,
  ToolCallError,
} from './module/errors';
export { ToolTimeoutError } from './module/tool-errors';
export { ProgramStateError } from './persist/errors';
export { DatasetError, ExampleError } from './data/errors';
export { EvaluationError, MetricError } from './evaluate/errors';
export {
  LMError,
  LMAuthenticationError,
  LMBadRequestError,
  LMNotFoundError,
  ContextWindowExceededError,
  LMRateLimitError,
  LMServerError,
  LMTimeoutError,
  LMConnectionError,
  LMBadResponseError,
  LMTruncatedResponseError,
  LMAbortedError,
  LMConfigurationError,
  CacheMissError,
} from './lm/errors';

// Signatures
export { Signature, Input, Output, Field } from './signature/decorators';
export { oneOf, arrayOf, dictOf, enumOf } from './signature/field-type';
export type { TypeInput } from './signature/field-type';
export { SignatureSpec } from './signature/signature-spec';
export { signatureOf } from './signature/reader';
export type { InputsOf, OutputsOf, SignatureLike } from './signature/reader';
export { signature } from './signature/string-signature';

// Custom field types (DSPy's dspy.History, dspy.Image)
export { History } from './custom-types/history';
export type { HistoryMessage } from './custom-types/history';
export { Image } from './custom-types/image';
export type { FetchImageOptions, ImageSource } from './custom-types/image';
export { HistoryError, ImageError, ToolCallsError } from './custom-types/errors';
export { ToolCalls } from './custom-types/tool-calls';
export type { ToolCallItem, ToolCallResult } from './custom-types/tool-calls';

// Adapters
export type { Adapter, AdapterOptions, Demo, ParseContext } from './adapter/adapter';
export { asFloat } from './adapter/python-repr';
export { ChatAdapter } from './adapter/chat-adapter';
export { JSONAdapter } from './adapter/json-adapter';
export { TwoStepAdapter } from './adapter/two-step-adapter';

// Modules and learnable state
export { Module, predictorsOf } from './module/module';
export type { BatchOptions } from './module/module';
export { ProviderBatcher } from './lm/batch/provider-batcher';
export type { BatchProgress, ProviderBatchOptions } from './lm/batch/provider-batcher';
export { BatchError } from './lm/batch/batch-error';
export type {
  FieldChunk,
  PredictionChunk,
  StatusChunk,
  StatusMessages,
  StreamChunk,
  StreamOptions,
} from './module/streaming';
export type { ModuleInputs, ModuleOutputs } from './module/module';
export type { PredictorParameters } from './module/parameters';
export { Program } from './module/program';
export { Predictor, Submodule, Param } from './module/decorators';
export { Predict } from './module/predict';
export type { PredictOptions, ForwardOptions } from './module/predict';
export { ChainOfThought } from './module/chain-of-thought';
export { ReAct } from './module/react';
export type { NativeReActOutputs, ReActOptions, ToolCallingMode } from './module/react';
export type { TerminationReason } from './module/react-native';
export { ReActNoSubmitError } from './module/react-errors';
export { Tool, ToolMethod } from './module/tool';
export type { ToolArgs, ToolContext, ToolFunction, ToolOptions, ToolParametersSchema } from './module/tool';
export { executeToolCalls } from './module/tool-calls-run';
export type { ExecuteToolCallsOptions } from './module/tool-calls-run';
// Adds Module.prototype.close (releasing what tools hold).
import './module/close';
export { BestOfN } from './module/best-of-n';
export type { BestOfNOptions } from './module/best-of-n';
export { Refine } from './module/refine';
export type { RefineOptions } from './module/refine';
export { Parallel } from './module/parallel';
export { MultiChainComparison } from './module/multi-chain-comparison';
export type {
  ComparedCompletion,
  ComparisonInputs,
  MultiChainComparisonOptions,
  WithRationale,
} from './module/multi-chain-comparison';
export type { ParallelOptions } from './module/parallel';
export { majority } from './module/majority';
export type { ParameterHandle } from './persist/parameter';
export { mergeState, savedParams } from './persist/state';
export type { SavedProgram, StatePatch } from './persist/state';

// Runtime settings
export { configure, context, settings, traced, withLMMiddleware } from './runtime/settings';
export type { Settings, Callback, CallEvent } from './runtime/settings';
export type { LogDetails, SigilLogger } from './logging/log';
export { lmUsageOf, totalUsage, trackUsage } from './runtime/usage-tracker';
export type { LMUsage, ModelUsage } from './runtime/usage-tracker';

// LM
export { LM } from './lm/lm';
export type { LMOptions } from './lm/lm-options';
export type {
  CallOptions,
  ChatMessage,
  ContentPart,
  ImagePart,
  LanguageModel,
  LMResponse,
  LMStreamEvent,
  TextPart,
  Usage,
} from './lm/types';
export { contentText } from './lm/types';
export type { CacheMode } from './lm/cache';
export { wrapLM } from './lm/middleware';
export type { LMMiddleware } from './lm/middleware';
export { Embedder } from './lm/embedder';
export { registerPrices } from './lm/prices';
export { inspectHistory } from './lm/history';

// Data
export { Example } from './data/example';
export { Prediction } from './data/prediction';
export type { TraceEntry } from './data/prediction';
export { loadDataset, streamDataset } from './data/load-dataset';
export type { DatasetOptions } from './data/load-dataset';
export { sample, shuffle, split } from './data/split';
export { seededRandom } from './data/random';

// Evaluation
export { Evaluate } from './evaluate/evaluate';
export type { EvaluateOptions } from './evaluate/evaluate';
export type { BackendRun, EvaluationBackend } from './evaluate/backend';
export type { EvaluationReport, EvaluationResult } from './evaluate/evaluation-result';
export { defineMetric } from './evaluate/metric';
export type { Metric, MetricTarget, MetricValue, ScoreWithFeedback } from './evaluate/metric';
export { contains, exactMatch, f1, passageMatch } from './evaluate/metrics';
export type { FieldMetricOptions } from './evaluate/metrics';
export { semanticF1 } from './evaluate/semantic-f1';

export { SIGIL_VERSION } from './version';
