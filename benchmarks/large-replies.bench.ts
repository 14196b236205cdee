/**
 * Large replies (issue 16, F1). Run: npx ts-node --transpile-only benchmarks/large-replies.bench.ts [--quick]
 *
 * 30 calls whose replies are 25 MB each, one after another, through an `LM` with Sigil's default settings
 * (history, memory and disk cache — the disk cache in a temporary folder) against FakeOpenAIServer in a
 * process of its own. The client runs in a fresh process under `--max-old-space-size=700 --expose-gc`:
 * it must finish (the whole run's replies are 750 MB), and the heap after a full GC once the calls have
 * ended (and `lm.close()` has flushed the cache) must be within 20 MB of the heap before the first call.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScript } from './support/processes';
import { emit, quick, round } from './support/stats';

const REPLY_MB = 25;
const CALLS = quick ? 8 : 30;
const HEAP_LIMIT_MB = 700;
const TARGET_MB = 20;
const CHILD = '--child';
const SERVER = '--server';

const mb = (bytes: number) => round(bytes / 2 ** 20, 1);

/** The provider: every reply is REPLY_MB of text (built once). */
async function serve(): Promise<void> {
  const { FakeOpenAIServer } = await import('@sigil/testing');
  const text = 'x'.repeat(REPLY_MB * 2 ** 20);
  const server = new FakeOpenAIServer({
    reply: () => {
      server.requests.length = 0;
      return text;
    },
  });
  process.stdout.write(`${await server.start()}\n`);
}

/**
 * The calls, in a function of their own: a suspended async function keeps its last values alive, so the
 * measuring function must not hold the last reply itself.
 */
async function callAll(lm: import('@sigil/core').LM): Promise<number> {
  let received = 0;
  for (let i = 0; i < CALLS; i++) {
    const response = await lm.call([{ role: 'user', content: `large reply ${i}` }]);
    received += response.completions[0].text.length;
  }
  return received;
}

/** The client, under the heap limit: `CALLS` calls, heap before and after. */
async function client(baseURL: string): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the client with --expose-gc');
  const dir = await mkdtemp(join(tmpdir(), 'sigil-large-replies-'));
  process.chdir(dir); // the default cache folder, .sigil/cache, lands here
  try {
    const { LM } = await import('@sigil/core');
    const lm = new LM('openai/large', { baseURL, apiKey: 'sk-bench' });
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    const received = await callAll(lm);
    const wallMs = performance.now() - started;
    await lm.close();
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
    gc();
    const heapAfter = process.memoryUsage().heapUsed;
    process.stdout.write(
      JSON.stringify({
        calls: CALLS,
        receivedMb: mb(received),
        heapBeforeMb: mb(heapBefore),
        heapAfterMb: mb(heapAfter),
        heapGrowthMb: mb(heapAfter - heapBefore),
        peakRssMb: round(process.resourceUsage().maxRSS / 1024, 1),
        historyEntries: lm.history.size,
        historyChars: lm.history.bytes,
        memoryCacheEntries: lm.cache.stats().memoryEntries,
        wallMs: Math.round(wallMs),
      }),
    );
  } finally {
    process.chdir(tmpdir());
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const server = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename, SERVER], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const baseURL = await new Promise<string>((resolve, reject) => {
      server.stdout.once('data', (data: Buffer) => resolve(data.toString().trim()));
      server.once('exit', (code) => reject(new Error(`the server exited with code ${code}`)));
    });
    let figures: Record<string, number> | undefined;
    let failure: string | undefined;
    try {
      const args = [CHILD, baseURL, ...(quick ? ['--quick'] : [])];
      figures = await runScript<Record<string, number>>(__filename, args, [
        `--max-old-space-size=${HEAP_LIMIT_MB}`,
        '--expose-gc',
      ]);
    } catch (error) {
      failure = (error as Error).message;
    }
    emit('largeReplies', {
      plan: { replyMb: REPLY_MB, calls: CALLS, heapLimitMb: HEAP_LIMIT_MB },
      completed: figures !== undefined,
      failure,
      ...figures,
      target: `completes under --max-old-space-size=${HEAP_LIMIT_MB}; heap after GC within ${TARGET_MB} MB of the start`,
      pass: figures !== undefined && figures.heapGrowthMb <= TARGET_MB,
    });
  } finally {
    server.kill();
    await once(server, 'exit').catch(() => undefined);
  }
}

if (process.argv.includes(SERVER)) void serve();
else if (process.argv.includes(CHILD)) {
  client(process.argv[process.argv.indexOf(CHILD) + 1]).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
