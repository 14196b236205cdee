/**
 * The CLI's live count of every LM call its runs make (paid, cached, failed, tokens, cost), for progress
 * lines: an LM middleware, so it sees the calls of every LM the program reaches (the configured one, a
 * predictor's own, a teacher's). The optimizer's report stays the source of the final numbers.
 */
import { type LMMiddleware, type LMResponse } from '@sigil/core';
import { UsageTally } from '@sigil/core/internal';

/** Live counts of a run's LM calls. */
export type CallTally = UsageTally;

export class CallMeter {
  readonly tally = new UsageTally();
  /** Called after every call, answered or failed. */
  onCall?: (tally: CallTally) => void;
  /** Put it around the run: `context({ lm, lmMiddleware: [meter.middleware] }, …)`. */
  readonly middleware: LMMiddleware = {
    name: 'cli-meter',
    call: async (next, messages, options) => {
      let response: LMResponse | undefined;
      try {
        response = await next(messages, options);
        return response;
      } finally {
        this.tally.record(response);
        this.onCall?.(this.tally);
      }
    },
  };
}
