import { CallControl } from './call-control';

/**
 * What an `LM` has in flight: the requests identical calls share, and the bookkeeping `lm.drain()` needs
 * to wait for them (and abort the ones still running when its time is up).
 */

import { onAbort } from './abort-listeners';

/**
 * One request that several identical calls wait on. Each waiter may bring its own AbortSignal: a waiter
 * whose signal fires rejects alone; the request itself is aborted only once every waiter has gone.
 */
export class SharedRequest<T> {
  /** Stops the request itself. */
  readonly control = new CallControl();
  private live = 0;
  private promise?: Promise<T>;

  constructor(private readonly onAbandoned: (request: SharedRequest<T>) => void) {}

  /** Starts the request; `run` receives what stops it. Called once, before any `join`. */
  start(run: (control: CallControl) => Promise<T>): void {
    this.promise = run(this.control);
    // Waiters handle the outcome; a request whose waiters all aborted has no one left to tell.
    this.promise.catch(() => undefined);
  }

  /** Whether every waiter aborted (the request is being cancelled and must not gain new waiters). */
  get abandoned(): boolean {
    return this.control.aborted;
  }

  /** The shared outcome, or `abortedError()` as soon as this waiter's own `signal` fires. */
  join(signal: AbortSignal | undefined, abortedError: () => unknown): Promise<T> {
    const promise = this.promise as Promise<T>;
    this.live++;
    if (!signal) return promise;
    return new Promise<T>((resolve, reject) => {
      const leave = () => {
        reject(abortedError());
        if (--this.live === 0) {
          this.control.abort(ABANDONED);
          this.onAbandoned(this);
        }
      };
      if (signal.aborted) return leave();
      const stop = onAbort(signal, leave);
      promise.then(
        (value) => {
          stop();
          resolve(value);
        },
        (error: unknown) => {
          stop();
          reject(error);
        },
      );
    });
  }
}

/** The abort reason of a shared request every waiter left: its failure concerns no one. */
export const ABANDONED: unique symbol = Symbol('sigil.lm.abandoned');

/** How `lm.drain()` ended. */
export interface DrainResult {
  /** True when everything in flight finished before the timeout. */
  drained: boolean;
  /** Requests aborted because the timeout passed. */
  aborted: number;
}

/** How long aborted requests get to settle before `drain` returns anyway (a stalled stream reader). */
const ABORT_GRACE_MS = 1_000;

/** What `drain()` stops a request with: an AbortController or a {@link CallControl}. */
export interface Abortable {
  abort(reason?: unknown): void;
}

/** Counts the requests in flight and can abort them all; the heart of `lm.drain()`. */
export class InFlightWork {
  private readonly running = new Set<Abortable>();
  private idle: (() => void)[] = [];

  /** Requests started and not settled. */
  get size(): number {
    return this.running.size;
  }

  /** Registers a request: `controller` aborts it; `done` settles when it has finished either way. */
  add(controller: Abortable, done: Promise<unknown>): void {
    const end = this.begin(controller);
    done.then(end, end);
  }

  /** Registers a request and returns the function to call (once) when it has finished either way. */
  begin(controller: Abortable): () => void {
    this.running.add(controller);
    return () => {
      if (!this.running.delete(controller) || this.running.size > 0) return;
      const waiters = this.idle;
      this.idle = [];
      for (const wake of waiters) wake();
    };
  }

  /**
   * Resolves when nothing is in flight; after `timeoutMs`, aborts what is left with `reason()` and waits
   * (briefly) for those requests to settle.
   */
  async drain(timeoutMs: number, reason: () => Error): Promise<DrainResult> {
    if (await this.settled(timeoutMs)) return { drained: true, aborted: 0 };
    const left = [...this.running];
    for (const controller of left) controller.abort(reason());
    await this.settled(ABORT_GRACE_MS);
    return { drained: false, aborted: left.length };
  }

  private settled(timeoutMs: number): Promise<boolean> {
    if (this.running.size === 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const wake = () => {
        if (timer) clearTimeout(timer);
        resolve(true);
      };
      this.idle.push(wake);
      if (Number.isFinite(timeoutMs)) {
        timer = setTimeout(
          () => {
            this.idle = this.idle.filter((w) => w !== wake);
            resolve(false);
          },
          Math.max(0, timeoutMs),
        );
      }
    });
  }
}
