import type { LanguageModel, LM, LMResponse } from '@sigil/core';

/** An LM seen through its `stream()`: each call streams from the endpoint and returns the final response. */
export function throughStream(lm: LM): LanguageModel & { baseURL: string } {
  return {
    model: lm.model,
    baseURL: lm.baseURL,
    supportsStructuredOutputs: lm.supportsStructuredOutputs,
    async call(messages, options) {
      let response: LMResponse | undefined;
      for await (const event of lm.stream(messages, options))
        if (event.type === 'done') response = event.response;
      return response!;
    },
  };
}
