import { AsyncLocalStorage } from 'node:async_hooks';
import { type CallOptions, type LMMiddleware, type LMResponse } from '@sigil/core';
import { UsageTally } from '@sigil/core/internal';
import { BudgetExceededError } from './errors';

/** Limits of one optimization run. Cached answers are free: only paid (and failed) calls count. */
export interface BudgetLimits {
  /** The most LM calls the optimizer may pay for. */
  maxCalls?: number;
  /** The most it may spend, in US dollars (may be overshot by the calls already in flight). */
  maxCost?: number;
}

/** Counts LM calls, tokens and cost for a part of a run (a step, a candidate). */
export class Meter extends UsageTally {}

interface Scope {
  readonly meters: readonly Meter[];
  readonly options?: Partial<CallOptions>;
}

// Our own async context (not core's settings): it follows each candidate's calls through concurrent work.
const scopes = new AsyncLocalStorage<Scope>();

/** Runs `fn` with `meter` counting every LM call made inside it (nested meters all count). */
export function metered<T>(meter: Meter, fn: () => Promise<T>): Promise<T> {
  const outer = scopes.getStore();
  return scopes.run({ meters: [...(outer?.meters ?? []), meter], options: outer?.options }, fn);
}

/**
 * Runs `fn` with call options forced onto every LM call inside it, over any module's own config — how a
 * bootstrap round > 0 asks for a fresh sample (`rolloutId`, `temperature: 1`), as DSPy does.
 */
export function withCallOptions<T>(options: Partial<CallOptions>, fn: () => Promise<T>): Promise<T> {
  const outer = scopes.getStore();
  return scopes.run({ meters: outer?.meters ?? [], options: { ...outer?.options, ...options } }, fn);
}

/**
 * The budget of one run. Its middleware (`budget.middleware`) sits around every LM call made during the
 * run — whichever LM a predictor uses; a call made once the budget is spent fails with
 * `BudgetExceededError`, and `exhausted` tells the optimizer that whatever was running then is incomplete.
 */
export class Budget extends Meter {
  private inFlight = 0;
  /** Set when a call was refused: work running at that moment is incomplete. */
  exhausted = false;
  /** Set by `stop()`: the run was interrupted (its signal fired); no new call may start. */
  stopped = false;
  /** Counts every call against this budget and the meters of the current scope. */
  readonly middleware: LMMiddleware;

  constructor(readonly limits: BudgetLimits = {}) {
    super();
    this.middleware = {
      name: 'budget',
      call: async (next, messages, options) => {
        const scope = scopes.getStore();
        this.reserve();
        let response: LMResponse | undefined;
        try {
          response = await next(messages, scope?.options ? { ...options, ...scope.options } : options);
          return response;
        } finally {
          this.settle(response);
          for (const meter of scope?.meters ?? []) meter.record(response);
        }
      },
    };
  }

  /** Refuses every further call (calls in flight finish): how an interrupted run winds down. */
  stop(): void {
    this.stopped = true;
  }

  /** True when no further call may be paid for. */
  get spent(): boolean {
    const { maxCalls, maxCost } = this.limits;
    return (
      this.stopped ||
      (maxCalls !== undefined && this.paid + this.failed + this.inFlight >= maxCalls) ||
      (maxCost !== undefined && this.cost >= maxCost)
    );
  }

  /** Reserves a call, or throws when the budget is spent. */
  reserve(): void {
    if (this.spent) {
      this.exhausted = true;
      const { maxCalls, maxCost } = this.limits;
      if (this.stopped) {
        throw new BudgetExceededError('The optimization was interrupted; no further LM call is made.', {
          code: 'OPTIMIZER_INTERRUPTED',
        });
      }
      throw new BudgetExceededError(
        `The optimizer's budget is spent (${this.paid + this.failed} paid calls` +
          `${maxCalls !== undefined ? ` of maxCalls ${maxCalls}` : ''}, $${this.cost.toFixed(4)}` +
          `${maxCost !== undefined ? ` of maxCost $${maxCost}` : ''}).`,
      );
    }
    this.inFlight++;
  }

  /** Ends a call started with `reserve()` and counts it. */
  settle(response: LMResponse | undefined): void {
    this.inFlight--;
    this.record(response);
  }
}
