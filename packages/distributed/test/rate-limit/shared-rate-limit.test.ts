import { InvalidOptionError } from '@sigil/core';
import { SharedRateLimitScheduler } from '@sigil/distributed';
import { startRedisServer, type RedisServer } from '@sigil/distributed/internal';
import { startChild } from '../support/child';

jest.setTimeout(90_000);

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.stop();
});

/**
 * Groups admissions by the shared window that counted them: every admission of one window reports the same
 * window end (to within a few ms of clock reading), and windows are `windowMs` apart.
 */
function perWindow(admissions: { windowEndsAt: number }[], windowMs: number): number[] {
  const ends = admissions.map((a) => a.windowEndsAt).sort((a, b) => a - b);
  const counts: number[] = [];
  let start = -Infinity;
  for (const end of ends) {
    if (end - start > windowMs / 2) {
      counts.push(0);
      start = end;
    }
    counts[counts.length - 1]++;
  }
  return counts;
}

describe('SharedRateLimitScheduler', () => {
  // The limit is "per minute" scaled down: 30 requests per 2-second window stand for 900 RPM, so a few
  // seconds show several windows. The assertion counts admissions per window, never elapsed time.
  it('holds two processes together within 10% of the limit in every window', async () => {
    const limit = 30;
    const children = [0, 1].map(() => startChild('rate-child.ts', [redis.url, String(limit), '2', '7000']));
    const results = await Promise.all(children.map((child) => child.waitFor((m) => m.admissions, 80_000)));
    const admissions = results.flatMap((r) => r.admissions);
    const counts = perWindow(admissions, 2_000);
    // Both processes asked in every window but the first and the last (they start and stop apart).
    const full = counts.slice(1, -1);
    expect(full.length).toBeGreaterThanOrEqual(1);
    for (const count of full) {
      expect(count).toBeLessThanOrEqual(limit * 1.1);
      expect(count).toBeGreaterThanOrEqual(limit * 0.9);
    }
    expect(Math.max(...counts)).toBeLessThanOrEqual(limit);
    // Each process got a share: the limit is shared, not per process.
    expect(results.every((r) => r.admissions.length > 0)).toBe(true);
  });

  it('admits waiting requests by priority, then in arrival order, as the in-process scheduler does', async () => {
    const scheduler = new SharedRateLimitScheduler({
      redis: redis.url,
      endpoint: 'priority-test',
      requestsPerMinute: 1,
      windowSeconds: 1,
    });
    try {
      (await scheduler.acquire()).release();
      const order: string[] = [];
      const ask = (name: string, priority: 'bulk' | 'normal' | 'interactive') =>
        scheduler.acquire({ priority }).then((lease) => {
          order.push(name);
          lease.release();
        });
      await Promise.all([
        ask('bulk-1', 'bulk'),
        ask('bulk-2', 'bulk'),
        ask('normal', 'normal'),
        ask('interactive', 'interactive'),
      ]);
      expect(order).toEqual(['interactive', 'normal', 'bulk-1', 'bulk-2']);
    } finally {
      await scheduler.close();
    }
  });

  it('refuses a window that is not a whole number of seconds', () => {
    expect(
      () =>
        new SharedRateLimitScheduler({
          redis: redis.url,
          endpoint: 'x',
          requestsPerMinute: 10,
          windowSeconds: 0.5,
        }),
    ).toThrow(InvalidOptionError);
  });
});
