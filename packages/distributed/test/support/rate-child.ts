// One process of the shared rate-limit test: takes slots as fast as the shared limit allows for a while,
// then prints every admission it was granted.
import { SharedRateLimitScheduler } from '@sigil/distributed';

const [redis, limit, windowSeconds, durationMs] = process.argv.slice(2);
const admissions: { at: number; windowEndsAt: number }[] = [];
const scheduler = new SharedRateLimitScheduler({
  redis,
  endpoint: 'rate-test',
  requestsPerMinute: Number(limit),
  windowSeconds: Number(windowSeconds),
  maxConcurrency: 8,
  onAdmission: ({ at, windowEndsAt }) => admissions.push({ at, windowEndsAt }),
});

async function main(): Promise<void> {
  console.log(JSON.stringify({ ready: true }));
  const deadline = Date.now() + Number(durationMs);
  const caller = async () => {
    while (Date.now() < deadline) (await scheduler.acquire({ priority: 'bulk' })).release();
  };
  await Promise.all(Array.from({ length: 8 }, caller));
  console.log(JSON.stringify({ admissions }));
  await scheduler.close();
}
void main();
