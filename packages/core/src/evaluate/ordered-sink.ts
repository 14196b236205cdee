/**
 * Passes results to `consume` in index order although they finish out of order. At most `window` results
 * may be pulled but not yet consumed: `waitForRoom` holds workers back so a slow head example cannot make
 * the buffer grow without bound.
 */
export class OrderedSink<R extends { index: number }> {
  private readonly ready = new Map<number, R>();
  private nextIndex = 0;
  private flushing = false;
  private waiters: (() => void)[] = [];
  private released = false;

  constructor(
    private readonly consume: (result: R) => Promise<void>,
    private readonly window: number,
  ) {}

  /** Resolves once fewer than `window` of the `pulled` results are still unconsumed. */
  async waitForRoom(pulled: () => number): Promise<void> {
    while (!this.released && pulled() - this.nextIndex >= this.window) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  async add(result: R): Promise<void> {
    this.ready.set(result.index, result);
    // One flusher at a time; a result added while it awaits is picked up by its loop.
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.ready.has(this.nextIndex)) {
        const next = this.ready.get(this.nextIndex)!;
        this.ready.delete(this.nextIndex);
        this.nextIndex++;
        await this.consume(next);
        this.wakeWaiters();
      }
    } finally {
      this.flushing = false;
    }
  }

  /** Lets every waiting worker go (the run is stopping; a missing result may never arrive). */
  release(): void {
    this.released = true;
    this.wakeWaiters();
  }

  private wakeWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
