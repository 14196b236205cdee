import { InvalidOptionError } from '../errors/sigil-error';
/**
 * A token bucket for requests-per-minute and tokens-per-minute limits. It refills continuously and holds
 * at most `burstSeconds` worth, so work is spread over the minute rather than spent in one burst. A draw
 * larger than what is available is allowed once the bucket is full and leaves it in debt, so a single
 * request bigger than the burst still runs (later ones wait the debt off).
 */
export class RateBucket {
  private level: number;
  private updatedAt: number;
  private readonly perMs: number;
  readonly capacity: number;

  constructor(perMinute: number, burstSeconds = 1) {
    if (!(perMinute > 0))
      throw new InvalidOptionError(`A rate limit must be a positive number per minute, got ${perMinute}.`, {
        option: 'requestsPerMinute / tokensPerMinute',
      });
    this.perMs = perMinute / 60_000;
    this.capacity = Math.max(1, (perMinute * burstSeconds) / 60);
    this.level = this.capacity;
    this.updatedAt = Date.now();
  }

  private refill(now: number): void {
    this.level = Math.min(this.capacity, this.level + (now - this.updatedAt) * this.perMs);
    this.updatedAt = now;
  }

  /** Milliseconds until `amount` may be drawn (0 = now). */
  waitMs(amount: number, now = Date.now()): number {
    this.refill(now);
    const needed = Math.min(amount, this.capacity);
    return this.level >= needed ? 0 : Math.ceil((needed - this.level) / this.perMs);
  }

  /** Takes `amount` (may go negative: see class doc). */
  take(amount: number, now = Date.now()): void {
    this.refill(now);
    this.level -= amount;
  }

  /** Corrects an earlier estimate once the real amount is known (positive = more was used). */
  adjust(delta: number): void {
    this.level = Math.min(this.capacity, this.level - delta);
  }
}
