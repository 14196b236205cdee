import { onAbort } from './abort-listeners';

/** What a call tells the attempt running for it (an `AttemptSignal`) when the call is stopped. */
export interface AttemptListener {
  callAborted(reason: unknown): void;
}
/**
 * How one call is stopped: by its caller's AbortSignal, by `lm.drain()`, or (a shared request) when every
 * caller has gone. It is not an AbortSignal itself: making one costs several µs, and a request needs only
 * its attempt's own signal, which this aborts. A real signal is made only when something must wait on one
 * (a queued scheduler slot, the pause between retries).
 */

export class CallControl {
  private stopped = false;
  private why: unknown;
  private attempt?: AttemptListener;
  private made?: AbortController;
  private readonly stopWatching?: () => void;

  constructor(caller?: AbortSignal) {
    if (caller?.aborted) {
      this.stopped = true;
      this.why = caller.reason;
    } else if (caller) {
      // One listener per signal however many calls share it (see abort-listeners.ts).
      this.stopWatching = onAbort(caller, () => this.abort(caller.reason));
    }
  }

  /** True once the call was stopped. */
  get aborted(): boolean {
    return this.stopped;
  }

  /** Why the call was stopped (the caller's abort reason, drain's `LMAbortedError` …). */
  get reason(): unknown {
    return this.why;
  }

  /** Stops the call: the running attempt aborts, and so does any signal handed out. */
  abort(reason?: unknown): void {
    if (this.stopped) return;
    this.stopped = true;
    this.why = reason ?? new DOMException('This operation was aborted', 'AbortError');
    this.attempt?.callAborted(this.why);
    this.made?.abort(this.why);
  }

  /** An AbortSignal that fires with this control, made on first use. */
  get signal(): AbortSignal {
    if (!this.made) {
      this.made = new AbortController();
      if (this.stopped) this.made.abort(this.why);
    }
    return this.made.signal;
  }

  /** Makes `attempt` the one `abort()` stops (aborting it now if the call already stopped). */
  attach(attempt: AttemptListener): void {
    this.attempt = attempt;
    if (this.stopped) attempt.callAborted(this.why);
  }

  detach(attempt: AttemptListener): void {
    if (this.attempt === attempt) this.attempt = undefined;
  }

  /** Stops following the caller's signal (the call has finished). */
  dispose(): void {
    this.stopWatching?.();
  }
}
