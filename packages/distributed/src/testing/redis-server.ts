/**
 * A real `redis-server` for tests, benchmarks and examples: started on a free loopback port with its own
 * temporary folder, stopped by its PID. Never a mock. Needs the `redis-server` binary (Debian's
 * `redis-server` package, or any Redis ≥ 6.2 on the PATH; `SIGIL_REDIS_SERVER` names another binary).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { SigilError } from '@sigil/core';

/** Options of {@link startRedisServer}. */
export interface RedisServerOptions {
  /** The port (default: a free one). Give the port of a stopped server to restart it in place. */
  port?: number;
  /** The data folder (default: a new temporary folder, removed by `stop()`). */
  dir?: string;
  /** How long to wait for the server to accept connections (default 10 s). */
  startTimeoutMs?: number;
}

/** A running `redis-server` child process. */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly dir: string;
  /** Stops the server (SIGTERM by PID, then SIGKILL after 5 s) and removes a temporary folder. */
  stop(): Promise<void>;
  /** Stops the server at once (SIGKILL), keeping the folder: a crash, for fault tests. */
  kill(): Promise<void>;
}

/** A port nothing listens on right now, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `redis-server` on 127.0.0.1 (no persistence, no protected-mode surprises) and resolves once it
 * accepts connections.
 * @example const redis = await startRedisServer(); … await redis.stop();
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const port = options.port ?? (await freePort());
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(path.join(os.tmpdir(), 'sigil-redis-'));
  const binary = process.env.SIGIL_REDIS_SERVER || 'redis-server';
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitUntilReady(child, binary, port, options.startTimeoutMs ?? 10_000);
  const pid = child.pid as number;
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(pid, signal);
      const timer = setTimeout(() => child.exitCode === null && process.kill(pid, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid,
    dir,
    stop: async () => {
      await end('SIGTERM');
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
    kill: () => end('SIGKILL'),
  };
}

function waitUntilReady(child: ChildProcess, binary: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let output = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      if (child.exitCode === null) child.kill('SIGKILL');
      reject(
        new SigilError(
          `redis-server (${binary}) on 127.0.0.1:${port} ${why} — install it (apt-get install -y redis-server) ` +
            `or set SIGIL_REDIS_SERVER to its path.${output ? ` Its output: ${output.trim().slice(-400)}` : ''}`,
          { code: 'REDIS_UNAVAILABLE' },
        ),
      );
    };
    const timer = setTimeout(() => fail(`did not start within ${timeoutMs} ms`), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error) => fail(`could not be started (${error.message})`));
    child.once('exit', (code) => fail(`exited with code ${code}`));
  });
}
