import { type CallOptions, type LMMiddleware, SigilError } from '@sigil/core';

/**
 * Counts the LM calls a Nest application has in flight so shutdown can wait for them, and cancels the ones
 * still running when the wait is over. It is an LM middleware (`middleware`) in the application's settings,
 * so it sees every call a program's predictors make — through the module's LM, a request's own or a
 * predictor's — and gives each the shutdown AbortSignal; the LMs themselves are left as they are.
 *
 * Counting here rather than with core's `lm.drain()` keeps this to the calls of this application (an LM
 * may be shared) and works for any `LanguageModel`, `ScriptedLM` included.
 */
export class InFlightCalls {
  private active = 0;
  private waiters: (() => void)[] = [];
  private readonly shutdown = new AbortController();
  /** Put in the application's settings (`lmMiddleware`): counts each call and stream, and can cancel them. */
  readonly middleware: LMMiddleware = {
    name: 'nest-in-flight',
    call: (next, messages, options) => this.counted(() => next(messages, this.withSignal(options))),
    stream: (next, messages, options) => this.countedStream(next(messages, this.withSignal(options))),
  };

  /** Calls started and not yet settled. */
  get count(): number {
    return this.active;
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
    this.shutdown.abort(new SigilError(reason, { code: 'SHUTTING_DOWN' }));
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
