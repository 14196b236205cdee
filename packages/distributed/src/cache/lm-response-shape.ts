import type { LMResponse } from '@sigil/core';
import { isStoredLMResponse } from '@sigil/core/internal';

/**
 * Whether a value read back from a shared store is a usable `LMResponse`: completions with text, numeric
 * usage and cost, a model name — the same check as the local cache tiers. Anything else (another program's
 * key, a truncated or hand-edited entry) is a miss, never an answer.
 */
export function isLMResponse(value: unknown): value is LMResponse {
  return isStoredLMResponse(value);
}
