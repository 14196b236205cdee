import { AsyncLocalStorage } from 'node:async_hooks';
import type { CallOptions, ChatMessage, LanguageModel, LMResponse, Module, Usage } from '@sigil/core';
import { BudgetExceededError } from './errors';
import type { CallCounts } from './report';

/** Limits of one optimization run. Cached answers are free: only paid (and failed) calls count. */
export interface BudgetLimits {
  /** The most LM calls the optimizer may pay for. */
  maxCalls?: number;
  /** The most it may spend, in US dollars (may be overshot by the calls already in flight). */
  maxCost?: number;
}

/** Counts LM calls, tokens and cost for a part of a run (a step, a candidate). */
export class Meter {
  paid = 0;
  cached = 0;
  failed = 0;
  cost = 0;
  readonly usage: Usage = { promptTokens: 0, completionTokens: 0, cachedTokens: 0, totalTokens: 0 };

  get calls(): number {
    return this.paid + this.cached + this.failed;
  }

  record(response: LMResponse | undefined): void {
    if (!response) {
      this.failed++;
      return;
    }
    if (response.cached) this.cached++;
    else this.paid++;
    this.cost += response.cost;
    this.usage.promptTokens += response.usage.promptTokens;
    this.usage.completionTokens += response.usage.completionTokens;
    this.usage.cachedTokens += response.usage.cachedTokens;
    this.usage.totalTokens += response.usage.totalTokens;
  }

  counts(): CallCounts {
    return { total: this.calls, paid: this.paid, cached: this.cached, failed: this.failed };
  }
}

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
 * The budget of one run. Every LM the program can reach is wrapped in a `CountingLM` tied to it; a call
 * made once the budget is spent fails with `BudgetExceededError`, and `exhausted` tells the optimizer
 * that whatever was running when it happened is incomplete.
 */
export class Budget extends Meter {
  private inFlight = 0;
  /** Set when a call was refused: work running at that moment is incomplete. */
  exhausted = false;

  constructor(readonly limits: BudgetLimits = {}) {
    super();
  }

  /** True when no further call may be paid for. */
  get spent(): boolean {
    const { maxCalls, maxCost } = this.limits;
    return (
      (maxCalls !== undefined && this.paid + this.failed + this.inFlight >= maxCalls) ||
      (maxCost !== undefined && this.cost >= maxCost)
    );
  }

  /** Reserves a call, or throws when the budget is spent. */
  reserve(): void {
    if (this.spent) {
      this.exhausted = true;
      const { maxCalls, maxCost } = this.limits;
      throw new BudgetExceededError(
        `The optimizer's budget is spent (${this.paid + this.failed} paid calls` +
          `${maxCalls !== undefined ? ` of maxCalls ${maxCalls}` : ''}, $${this.cost.toFixed(4)}` +
          `${maxCost !== undefined ? ` of maxCost $${maxCost}` : ''}).`,
      );
    }
    this.inFlight++;
  }

  settle(response: LMResponse | undefined): void {
    this.inFlight--;
    this.record(response);
  }
}

/** An LM proxy that counts every call against a budget and the meters of the current scope. */
export class CountingLM implements LanguageModel {
  readonly model: string;
  readonly supportsStructuredOutputs?: boolean;

  constructor(
    readonly inner: LanguageModel,
    readonly budget: Budget,
  ) {
    this.model = inner.model;
    this.supportsStructuredOutputs = inner.supportsStructuredOutputs;
  }

  async call(messages: ChatMessage[], options?: CallOptions): Promise<LMResponse> {
    const scope = scopes.getStore();
    this.budget.reserve();
    let response: LMResponse | undefined;
    try {
      response = await this.inner.call(messages, scope?.options ? { ...options, ...scope.options } : options);
      return response;
    } finally {
      this.budget.settle(response);
      for (const meter of scope?.meters ?? []) meter.record(response);
    }
  }
}

/** Wraps `lm` for `budget` (an LM already counting for this budget is returned as is). */
export function countingLM(lm: LanguageModel, budget: Budget): CountingLM {
  return lm instanceof CountingLM && lm.budget === budget ? lm : new CountingLM(lm, budget);
}

/** Wraps every per-predictor LM of `program` (in place; `program` is the optimizer's own copy). */
export function countPredictorLMs(program: Module, budget: Budget): void {
  for (const [, predictor] of program.namedPredictors()) {
    if (predictor.lm) predictor.lm = countingLM(predictor.lm, budget);
  }
}

/** Puts the user's own LMs back on a program the optimizer is about to return. */
export function restorePredictorLMs(program: Module): void {
  for (const [, predictor] of program.namedPredictors()) {
    if (predictor.lm instanceof CountingLM) predictor.lm = predictor.lm.inner;
  }
}
