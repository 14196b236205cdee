import type { CallOptions, LanguageModel } from '@sigil/core';

/**
 * Counts the LM calls a Nest application has in flight so shutdown can wait for them, and cancels the ones
 * still running when the wait is over. Every LM the module hands to a program is wrapped once in a Proxy
 * whose `call` (and `stream`) are counted and given the shutdown AbortSignal; everything else (`model`,
 * `inspectHistory`, `instanceof LM` …) reaches the LM unchanged.
 *
 * Counting here rather than with core's `lm.drain()` keeps this to the calls of this application (an LM
 * may be shared) and works for any `LanguageModel`, `ScriptedLM` included. `LM` still merges identical
 * concurrent calls although each carries the shutdown signal.
 */
export class InFlightCalls {
  private active = 0;
  private waiters: (() => void)[] = [];
  private readonly proxies = new WeakMap<LanguageModel, LanguageModel>();
  private readonly wrapped = new WeakSet<LanguageModel>();
  private readonly shutdown = new AbortController();

  /** Calls started and not yet settled. */
  get count(): number {
    return this.active;
  }

  /** The counted view of `lm` (the same object for the same LM, so wrapping is free after the first time). */
  track(lm: LanguageModel): LanguageModel {
    if (this.wrapped.has(lm)) return lm;
    const known = this.proxies.get(lm);
    if (known) return known;
    const proxy = new Proxy(lm, {
      get: (target, property) => {
        const value = Reflect.get(target, property, target);
        if (typeof value !== 'function') return value;
        if (property === 'call') {
          return (messages: unknown, options?: CallOptions) =>
            this.counted(() => value.call(target, messages, this.withSignal(options)));
        }
        if (property === 'stream') {
          return (messages: unknown, options?: CallOptions) =>
            this.countedStream(value.call(target, messages, this.withSignal(options)));
        }
        return value.bind(target);
      },
    });
    this.proxies.set(lm, proxy);
    this.wrapped.add(proxy);
    return proxy;
  }

  /** Resolves when no call is in flight, or after `timeoutMs`; says how many were still running. */
  async drain(timeoutMs: number): Promise<{ drained: boolean; remaining: number }> {
    if (this.active === 0) return { drained: true, remaining: 0 };
    let timer: NodeJS.Timeout | undefined;
    const idle = new Promise<boolean>((resolve) => this.waiters.push(() => resolve(true)));
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const drained = await Promise.race([idle, late]);
    clearTimeout(timer);
    return { drained, remaining: this.active };
  }

  /** Cancels every call still in flight (they fail with the LM's abort error) and any made later. */
  abort(reason: string): void {
    this.shutdown.abort(new Error(reason));
  }

  private withSignal(options: CallOptions | undefined): CallOptions {
    const own = options?.signal;
    const signal = own ? AbortSignal.any([own, this.shutdown.signal]) : this.shutdown.signal;
    return { ...options, signal };
  }

  private async counted<T>(run: () => Promise<T>): Promise<T> {
    this.active++;
    try {
      return await run();
    } finally {
      this.settled();
    }
  }

  private async *countedStream<T>(stream: AsyncIterable<T>): AsyncGenerator<T> {
    this.active++;
    try {
      yield* stream;
    } finally {
      this.settled();
    }
  }

  private settled(): void {
    this.active--;
    if (this.active > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
