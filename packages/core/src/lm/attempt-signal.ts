/**
 * One attempt's AbortSignal: fires when its call is stopped (see {@link CallControl}) or the attempt's
 * timeout passes, and remembers which, so the failure can be reported as an abort (not retried) or a
 * timeout (retried).
 */
import type { CallControl } from './call-control';

export class AttemptSignal {
  private readonly controller = new AbortController();
  private readonly timer?: NodeJS.Timeout;
  timedOut = false;
  callerAborted = false;

  constructor(
    private readonly call: CallControl | undefined,
    timeoutMs: number | undefined,
  ) {
    call?.attach(this);
    if (!this.callerAborted && timeoutMs !== undefined && timeoutMs > 0 && timeoutMs !== Infinity) {
      this.timer = setTimeout(() => {
        this.timedOut = true;
        this.controller.abort(new Error(`timed out after ${timeoutMs} ms`));
      }, timeoutMs);
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The call was stopped: abort this attempt with the call's reason. */
  callAborted(reason: unknown): void {
    if (this.timedOut || this.callerAborted) return;
    this.callerAborted = true;
    this.controller.abort(reason);
  }

  /** Stops the timer and detaches from the call; `abort` also cancels whatever is still running. */
  dispose(abort = false): void {
    if (this.timer) clearTimeout(this.timer);
    this.call?.detach(this);
    if (abort && !this.controller.signal.aborted) this.controller.abort(new Error('attempt finished'));
  }
}
