/**
 * What a valid cache entry of each namespace looks like. An entry written by an older or broken version,
 * or edited by hand, that does not pass is a miss (and the next answer overwrites it), never a TypeError
 * deep in a caller.
 */
import type { LMResponse } from './types';

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const isCount = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value >= 0;

/**
 * An `LMResponse` as `LM` stores it: completions with text, usage counts, a cost and the model. The one
 * check of a stored response, for every tier (disk, memory, a shared Redis store).
 */
export function isStoredLMResponse(value: unknown): value is LMResponse {
  if (!isObject(value) || !Array.isArray(value.completions) || value.completions.length === 0) return false;
  for (const completion of value.completions) {
    if (!isObject(completion) || typeof completion.text !== 'string') return false;
    if (completion.toolCalls !== undefined && !Array.isArray(completion.toolCalls)) return false;
  }
  const usage = value.usage;
  if (!isObject(usage) || !isCount(usage.promptTokens) || !isCount(usage.completionTokens)) return false;
  if (!isCount(usage.cachedTokens) || !isCount(usage.totalTokens)) return false;
  return isCount(value.cost) && typeof value.model === 'string';
}

/** A stored embedding: a list of finite numbers. */
export function isStoredEmbedding(value: unknown): boolean {
  return (
    isObject(value) &&
    Array.isArray(value.embedding) &&
    value.embedding.every((x) => typeof x === 'number' && Number.isFinite(x))
  );
}

/** The validator of each namespace Sigil itself writes. */
export const CACHE_SHAPES: Readonly<Record<string, (value: unknown) => boolean>> = {
  lm: isStoredLMResponse,
  embeddings: isStoredEmbedding,
};
