/**
 * @sigil/distributed — scale-out on BullMQ and Redis: a Redis tier for the LM cache shared by processes
 * (with cross-process de-duplication of identical calls), a rate limit shared by processes, and evaluation
 * and optimizer work run by `sigil worker` processes.
 * @module @sigil/distributed
 */
export { redisCache, redisStoreOf, type RedisCacheOptions } from './cache/redis-cache';
export { RedisCacheStore, type RedisCacheStoreOptions } from './cache/redis-store';
export { isLMResponse } from './cache/lm-response-shape';
export { SharedRateLimitScheduler, type SharedRateLimitOptions } from './rate-limit/shared-scheduler';
export { redactRedisUrl, type RedisConnection } from './redis/connection';
export { DistributedError, RedisUnavailableError } from './redis/errors';
export {
  DistributedEvaluator,
  type DistributedEvaluatorOptions,
  type DistributedTask,
} from './evaluate/distributed-evaluator';
export { EvaluationWorker, type EvaluationWorkerOptions } from './worker/evaluation-worker';
export { taskFingerprint } from './evaluate/fingerprint';
export { SharedLM, sharedLM, type SharedLMOptions, type RedisHealthResult } from './shared/shared-lm';
