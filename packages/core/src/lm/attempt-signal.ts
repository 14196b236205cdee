/**
 * One attempt's AbortSignal: fires when the caller aborts or the attempt's timeout passes, and remembers
 * which, so the failure can be reported as an abort (not retried) or a timeout (retried).
 */
export class AttemptSignal {
  private readonly controller = new AbortController();
  private readonly timer?: NodeJS.Timeout;
  private readonly onCallerAbort?: () => void;
  timedOut = false;
  callerAborted = false;

  constructor(
    private readonly caller: AbortSignal | undefined,
    timeoutMs: number | undefined,
  ) {
    if (caller) {
      if (caller.aborted) {
        this.callerAborted = true;
        this.controller.abort(caller.reason);
      } else {
        this.onCallerAbort = () => {
          this.callerAborted = true;
          this.controller.abort(caller.reason);
        };
        caller.addEventListener('abort', this.onCallerAbort, { once: true });
      }
    }
    if (timeoutMs !== undefined && timeoutMs > 0 && timeoutMs !== Infinity) {
      this.timer = setTimeout(() => {
        this.timedOut = true;
        this.controller.abort(new Error(`timed out after ${timeoutMs} ms`));
      }, timeoutMs);
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Stops the timer and detaches from the caller; `abort` also cancels whatever is still running. */
  dispose(abort = false): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.onCallerAbort) this.caller?.removeEventListener('abort', this.onCallerAbort);
    if (abort && !this.controller.signal.aborted) this.controller.abort(new Error('attempt finished'));
  }
}
