/**
 * The writes a cache store has in progress, so `flush()` can wait for all of them (those started while it
 * waits included) and `remove()` can run after them. One tracker for every store: disk, Redis.
 */
export class PendingWrites {
  private readonly pending = new Set<Promise<boolean>>();

  /** Tracks a write until it settles; returns it. */
  track(writing: Promise<boolean>): Promise<boolean> {
    this.pending.add(writing);
    const done = () => this.pending.delete(writing);
    writing.then(done, done);
    return writing;
  }

  /** Resolves once no write is in progress. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
