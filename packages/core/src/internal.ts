/**
 * @sigil/core/internal — what sibling Sigil packages (optimize, cli, nestjs, testing, distributed) and
 * tests need from @sigil/core that users do not: the building blocks under the public API. Not part of the
 * public API: names here may change in any release. Everything public is re-exported too.
 */
export * from './index';
export * from './signature';
export * from './custom-types';
export * from './adapter';
export * from './module';
export * from './persist';
export * from './runtime';
export { TypedEmitter, type Listener } from './events/typed-emitter';
export { drainConcurrently, mapConcurrently } from './runtime/pool';
export { classChain, inheritedMetadata, ownMetadata, recordMetadata } from './metadata/store';
export type { MetadataKind } from './metadata/store';
export { ToolCallError } from './module/errors';
export * from './lm/types';
export { LM } from './lm/lm';
export type { LMOptions, LMDefaults, LMStreamEvent } from './lm/lm-options';
export { Embedder } from './lm/embedder';
export type { EmbedderOptions, EmbedOptions, EmbedderStats, StoredEmbedding } from './lm/embedder';
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
export type { LMErrorDetails, BadResponseDetails } from './lm/errors';
export { ResponseCache, DEFAULT_CACHE_DIR } from './lm/cache';
export { isStoredLMResponse } from './lm/cache-shapes';
export { PendingWrites } from './lm/pending-writes';
export type { CacheMode, CacheOptions, CacheStats } from './lm/cache';
export type { CacheClaim, CacheStore } from './lm/cache-store';
export type { DiskStoreStats } from './lm/disk-store';
export { canonicalJson, requestKey } from './lm/request-key';
export { Scheduler, PRIORITY_LEVELS, priorityValue } from './lm/scheduler';
export type { SchedulerOptions, AcquireOptions, SchedulerLease } from './lm/scheduler';
export { parseRetryAfter, backoffDelay } from './lm/retry';
export type { RetryOptions, RetryNotice } from './lm/retry';
export { registerPrices, priceOf, costOf } from './lm/prices';
export type { ModelPrice } from './lm/prices';
export type { LMStats } from './lm/accounting';
export { UsageTally } from './lm/usage-tally';
export type { CallCounts } from './lm/usage-tally';
export { wrapLM, unwrapLM } from './lm/middleware';
export type { LMMiddleware, LMCallInfo, NextCall, NextStream, WrappedLM } from './lm/middleware';
export { inspectHistory, formatHistory, CallHistory, globalHistory } from './lm/history';
export type { HistoryEntry, InspectOptions } from './lm/history';
export type { LMEventMap, LMEventName, LMListener } from './lm/events';
export type { EndpointOptions } from './lm/endpoint';
export type { TransportOptions } from './lm/http/transport-options';
export { createPooledFetch } from './lm/http/pooled-fetch';
export type { PoolOptions } from './lm/http/pooled-fetch';

// data
export { Example } from './data/example';
export type { ExampleConstructor, ExampleMethods } from './data/example';
export { Prediction } from './data/prediction';
export type { PredictionConstructor, PredictionMeta, PredictionMethods, TraceEntry } from './data/prediction';
export { DatasetError, ExampleError } from './data/errors';
export type { RowLocation } from './data/errors';
export { loadDataset, streamDataset } from './data/load-dataset';
export type { DatasetOptions, LoadedDataset, SkippedRow } from './data/load-dataset';
export type { DatasetFormat } from './data/dataset-readers';
export { signatureRowCheck } from './data/row-validation';
export type { RowCheck, RowProblem, RowValidator, SignatureClassLike } from './data/row-validation';
export { seededRandom, randomInt } from './data/random';
export type { RandomSource, Seed } from './data/random';
export { sample, shuffle, split } from './data/split';
export type { SplitOptions, SplitSizes, Splits } from './data/split';

// text
export { normalizeText } from './text/normalize';
export { terminalSafe } from './text/terminal-text';

// evaluate
export { Evaluate } from './evaluate/evaluate';
export type { EvaluateOptions, Runnable } from './evaluate/evaluate';
export type { EvaluationReport, EvaluationResult } from './evaluate/evaluation-result';
export { EvaluationError, MetricError } from './evaluate/errors';
export { defineMetric, feedbackOf, metricIdentity, objectivesOf, scoreOf } from './evaluate/metric';
export type { Metric, MetricIdentity, MetricTarget, MetricValue, ScoreWithFeedback } from './evaluate/metric';
export { contains, exactMatch, f1, passageMatch, tokenF1 } from './evaluate/metrics';
export type { FieldMetricOptions } from './evaluate/metrics';
export {
  DecompositionalSemanticRecallPrecision,
  SemanticF1,
  semanticF1,
  SemanticRecallPrecision,
} from './evaluate/semantic-f1';
export type {
  SemanticF1Metric,
  SemanticF1Options,
  SemanticJudgeInputs,
  SemanticVerdict,
} from './evaluate/semantic-f1';
export type { EvaluationProgress, ProgressMode } from './evaluate/progress';
export { formatResultsTable } from './evaluate/results-table';
export { FAIL_FAST_WINDOW, failureKindOf, isEndpointDown, metricFailure } from './evaluate/failures';
export type { FailureCounts, FailureKind } from './evaluate/failures';
export { logNotice, logWarning, setLogSource } from './logging/log';
