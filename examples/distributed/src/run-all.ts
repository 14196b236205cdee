/**
 * `npm start`: the whole picture on one machine — a redis-server of its own on a free port (needs the
 * `redis-server` binary: `apt-get install redis-server`), two `sigil worker` processes, then the
 * coordinator; everything is stopped at the end. With REDIS_URL set, that Redis is used instead.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { coordinate } from './coordinator';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts `command` and resolves once a line of its output contains `ready`. */
function start(name: string, command: string, args: string[], ready: string): Promise<ChildProcess> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        if (name !== 'redis') console.log(`[${name}] ${line}`);
        if (line.includes(ready)) resolve(child);
      }
    });
    child.once('error', (error) => reject(new Error(`${name}: ${error.message} — is ${command} installed?`)));
    child.once('exit', (code) => reject(new Error(`${name} exited with code ${code}`)));
  });
}

async function main(): Promise<void> {
  const children: ChildProcess[] = [];
  try {
    let redis = process.env.REDIS_URL;
    if (!redis) {
      const port = await freePort();
      const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
      children.push(await start('redis', 'redis-server', args, 'Ready to accept connections'));
      redis = `redis://127.0.0.1:${port}`;
    }
    // The CLI's own entry, run by this Node (not through npx, whose child would outlive a kill).
    const sigil = path.join(path.dirname(require.resolve('@sigil/cli/package.json')), 'bin', 'sigil.js');
    for (const name of ['worker 1', 'worker 2']) {
      const args = [sigil, 'worker', 'src/task.ts', '--redis', redis, '--jobs', '2'];
      children.push(await start(name, process.execPath, args, 'ready'));
    }
    await coordinate(redis);
  } finally {
    for (const child of children.reverse()) if (child.pid) process.kill(child.pid, 'SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
