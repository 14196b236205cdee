/**
 * An LM wrapper that tallies every call the CLI's runs make (paid, cached, failed, tokens, cost) as they
 * happen, for live progress lines; the optimizer's own report stays the source of the final numbers.
 */
import type { CallOptions, ChatMessage, LanguageModel, LMResponse, Usage } from '@sigil/core';

/** Live counts of a run's LM calls. */
export interface CallTally {
  calls: number;
  paid: number;
  cached: number;
  failed: number;
  usage: Usage;
  /** US dollars. */
  cost: number;
}

export class MeteredLM implements LanguageModel {
  readonly model: string;
  readonly supportsStructuredOutputs?: boolean;
  readonly tally: CallTally = {
    calls: 0,
    paid: 0,
    cached: 0,
    failed: 0,
    usage: { promptTokens: 0, completionTokens: 0, cachedTokens: 0, totalTokens: 0 },
    cost: 0,
  };
  /** Called after every call, answered or failed. */
  onCall?: (tally: CallTally) => void;

  constructor(readonly inner: LanguageModel) {
    this.model = inner.model;
    this.supportsStructuredOutputs = inner.supportsStructuredOutputs;
  }

  async call(messages: ChatMessage[], options?: CallOptions): Promise<LMResponse> {
    let response: LMResponse | undefined;
    try {
      response = await this.inner.call(messages, options);
      return response;
    } finally {
      this.record(response);
    }
  }

  private record(response: LMResponse | undefined): void {
    const tally = this.tally;
    tally.calls++;
    if (!response) tally.failed++;
    else {
      if (response.cached) tally.cached++;
      else tally.paid++;
      tally.cost += response.cost;
      tally.usage.promptTokens += response.usage.promptTokens;
      tally.usage.completionTokens += response.usage.completionTokens;
      tally.usage.cachedTokens += response.usage.cachedTokens;
      tally.usage.totalTokens += response.usage.totalTokens;
    }
    this.onCall?.(tally);
  }
}
