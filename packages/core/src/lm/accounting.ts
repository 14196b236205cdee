/**
 * Running totals of an LM: what was paid for (network answers) kept apart from what the cache served.
 */
import type { Usage } from './types';
import { UsageTally } from './usage-tally';

/** Totals of one LM since construction (or the last `resetStats()`). */
export interface LMStats {
  /** Calls answered (from the network or the cache). */
  calls: number;
  /** Calls answered from Sigil's cache. */
  cacheHits: number;
  /** HTTP attempts made, retries included. */
  requests: number;
  retries: number;
  /** Calls that ended in an error. */
  errors: number;
  /** Tokens paid for. */
  usage: Usage;
  /** Dollars paid. */
  cost: number;
  /** Tokens the cache answered for (recorded when first paid). */
  cachedUsage: Usage;
  /** Dollars the cache saved. */
  cachedCost: number;
}

/** Mutable accumulator behind `lm.stats()`: the shared call tally plus the HTTP attempts. */
export class Accounting {
  private readonly tally = new UsageTally();
  private requests = 0;
  private retries = 0;

  paid(usage: Usage, cost: number): void {
    this.tally.record({ cached: false, usage, cost });
  }

  servedFromCache(usage: Usage, cost: number): void {
    this.tally.record({ cached: true, usage, cost });
  }

  request(): void {
    this.requests++;
  }

  retry(): void {
    this.retries++;
  }

  failed(): void {
    this.tally.record(undefined);
  }

  snapshot(): LMStats {
    const t = this.tally;
    return {
      calls: t.paid + t.cached,
      cacheHits: t.cached,
      requests: this.requests,
      retries: this.retries,
      errors: t.failed,
      usage: { ...t.usage },
      cost: t.cost,
      cachedUsage: { ...t.cachedUsage },
      cachedCost: t.cachedCost,
    };
  }

  reset(): void {
    this.tally.clear();
    this.requests = 0;
    this.retries = 0;
  }
}
