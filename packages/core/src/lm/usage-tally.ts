import { addUsage, emptyUsage, type LMResponse, type Usage } from './types';

/** How many LM calls a tally saw, by outcome. */
export interface CallCounts {
  total: number;
  /** Answered by the network: paid for. */
  paid: number;
  /** Answered by Sigil's cache: free. */
  cached: number;
  /** Ended in an error. */
  failed: number;
}

/**
 * The one running tally of LM calls: paid answers, cache hits and failures, with tokens and dollars kept
 * apart for what was paid and what the cache served. The LM's own `stats()`, an optimizer's budget and
 * meters, and the CLI's live progress all count with it.
 */
export class UsageTally {
  paid = 0;
  cached = 0;
  failed = 0;
  /** Dollars paid (cache hits cost nothing). */
  cost = 0;
  /** Tokens paid for. */
  readonly usage: Usage = emptyUsage();
  /** Dollars the cache saved (what its answers cost when first paid). */
  cachedCost = 0;
  /** Tokens the cache answered for. */
  readonly cachedUsage: Usage = emptyUsage();

  /** Every call seen. */
  get calls(): number {
    return this.paid + this.cached + this.failed;
  }

  /** Counts one finished call: its response, or `undefined` when it failed. */
  record(response: Pick<LMResponse, 'cached' | 'usage' | 'cost'> | undefined): void {
    if (!response) {
      this.failed++;
    } else if (response.cached) {
      this.cached++;
      this.cachedCost += response.cost;
      addUsage(this.cachedUsage, response.usage);
    } else {
      this.paid++;
      this.cost += response.cost;
      addUsage(this.usage, response.usage);
    }
  }

  /** The calls counted so far: total, paid, cached and failed. */
  counts(): CallCounts {
    return { total: this.calls, paid: this.paid, cached: this.cached, failed: this.failed };
  }

  /** Back to zero. */
  clear(): void {
    this.paid = this.cached = this.failed = 0;
    this.cost = this.cachedCost = 0;
    Object.assign(this.usage, emptyUsage());
    Object.assign(this.cachedUsage, emptyUsage());
  }
}
