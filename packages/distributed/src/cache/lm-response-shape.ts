import type { LMResponse } from '@sigil/core';

const USAGE_FIELDS = ['promptTokens', 'completionTokens', 'cachedTokens', 'totalTokens'] as const;

/**
 * Whether a value read back from a shared store is a usable `LMResponse`: completions with text, numeric
 * usage and cost, a model name. Anything else (another program's key, a truncated or hand-edited entry)
 * is a miss, never an answer.
 */
export function isLMResponse(value: unknown): value is LMResponse {
  if (value === null || typeof value !== 'object') return false;
  const response = value as Partial<LMResponse>;
  if (!Array.isArray(response.completions) || response.completions.length === 0) return false;
  for (const completion of response.completions) {
    if (completion === null || typeof completion !== 'object' || typeof completion.text !== 'string')
      return false;
  }
  const usage = response.usage as unknown as Record<string, unknown> | undefined;
  if (usage === null || typeof usage !== 'object') return false;
  if (!USAGE_FIELDS.every((field) => typeof usage[field] === 'number')) return false;
  return typeof response.cost === 'number' && typeof response.model === 'string';
}
