/**
 * A worker's LM calls, replayed on the coordinator through the LM middleware in force there (an optimizer's
 * budget and meters, the CLI's call counter), so remote work is counted as if it ran here. Each replayed
 * call answers at once with the worker's usage and cost; no request is made.
 */
import { type LanguageModel, LMError, type LMResponse, settings, wrapLM } from '@sigil/core';
import type { CallRecord } from './protocol';

const REPLAYED_FAILURE = Symbol('sigil.distributed.replayed-failure');

function replayedLM(call: CallRecord): LanguageModel {
  return {
    model: call.model ?? 'remote',
    call: async (): Promise<LMResponse> => {
      if (call.failed) {
        const error = new LMError("A worker's LM call failed (replayed for counting).", {
          model: call.model ?? 'remote',
          endpoint: 'remote',
        });
        Object.defineProperty(error, REPLAYED_FAILURE, { value: true });
        throw error;
      }
      return {
        completions: [{ text: '', finishReason: null }],
        usage: call.usage ?? { promptTokens: 0, completionTokens: 0, cachedTokens: 0, totalTokens: 0 },
        cost: call.cost ?? 0,
        model: call.model ?? 'remote',
        cached: call.cached ?? false,
        durationMs: 0,
      };
    },
  };
}

/** Counts `calls` through the current LM middleware; a refusal (a spent budget) is thrown. */
export async function replayCalls(calls: readonly CallRecord[]): Promise<void> {
  const middleware = settings().lmMiddleware ?? [];
  if (middleware.length === 0) return;
  for (const call of calls) {
    try {
      await wrapLM(replayedLM(call), ...middleware).call([], {});
    } catch (error) {
      if (!(error as { [REPLAYED_FAILURE]?: boolean })?.[REPLAYED_FAILURE]) throw error;
    }
  }
}
