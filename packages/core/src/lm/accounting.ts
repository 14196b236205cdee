/**
 * Running totals of an LM: what was paid for (network answers) kept apart from what the cache served.
 */
import { addUsage, emptyUsage, type Usage } from './types';

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

/** Mutable accumulator behind `lm.stats()`. */
export class Accounting {
  private totals: LMStats = Accounting.zero();

  private static zero(): LMStats {
    return {
      calls: 0,
      cacheHits: 0,
      requests: 0,
      retries: 0,
      errors: 0,
      usage: emptyUsage(),
      cost: 0,
      cachedUsage: emptyUsage(),
      cachedCost: 0,
    };
  }

  paid(usage: Usage, cost: number): void {
    this.totals.calls++;
    addUsage(this.totals.usage, usage);
    this.totals.cost += cost;
  }

  servedFromCache(usage: Usage, cost: number): void {
    this.totals.calls++;
    this.totals.cacheHits++;
    addUsage(this.totals.cachedUsage, usage);
    this.totals.cachedCost += cost;
  }

  request(): void {
    this.totals.requests++;
  }

  retry(): void {
    this.totals.retries++;
  }

  failed(): void {
    this.totals.errors++;
  }

  snapshot(): LMStats {
    const t = this.totals;
    return { ...t, usage: { ...t.usage }, cachedUsage: { ...t.cachedUsage } };
  }

  reset(): void {
    this.totals = Accounting.zero();
  }
}
