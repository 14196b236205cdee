import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { runCli } from '@sigil/cli';
import { freePort, startRedisServer, type RedisServer } from '@sigil/distributed/internal';
import { type Child, startChild } from '../support/child';

jest.setTimeout(90_000);

const taskFile = path.join(__dirname, '../fixtures/sentiment.task.ts');
const folder = mkdtempSync(path.join(os.tmpdir(), 'sigil-worker-cli-'));
let redis: RedisServer;
let worker: Child;

class Memory extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += String(chunk);
    done();
  }
}

async function sigil(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Memory();
  const stderr = new Memory();
  const code = await runCli(args, { stdout, stderr, cwd: folder, env: {} });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

beforeAll(async () => {
  redis = await startRedisServer();
  worker = startChild('cli-child.ts', ['worker', taskFile, '--redis', redis.url, '--jobs', '2']);
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (worker.lines.some((line) => line.startsWith('Worker '))) resolve();
      else if (worker.process.exitCode !== null) reject(new Error('the worker exited'));
      else return;
      clearInterval(timer);
    }, 50);
  });
});

afterAll(async () => {
  await worker.kill();
  await redis.stop();
  rmSync(folder, { recursive: true, force: true });
});

describe('sigil worker and --workers', () => {
  it('optimizes on a worker process to the same saved program as a run in one process', async () => {
    const common = ['--optimizer', 'random-search', '--candidates', '2', '--seed', '1', '--no-cache'];
    const local = await sigil(['optimize', taskFile, ...common, '--out', 'local.json']);
    expect(local.code).toBe(0);
    const distributed = await sigil([
      'optimize',
      taskFile,
      ...common,
      '--out',
      'remote.json',
      '--workers',
      redis.url,
    ]);
    expect(distributed.code).toBe(0);
    expect(distributed.stdout).toContain(`Workers: sigil worker processes on ${redis.url}`);
    const saved = (file: string) => {
      const state = JSON.parse(readFileSync(path.join(folder, file), 'utf8'));
      delete state.metadata;
      return state;
    };
    expect(saved('remote.json')).toEqual(saved('local.json'));
    expect(worker.lines.some((line) => /^Job \S+: \d+ examples$/.test(line))).toBe(true);
  });

  it('fails with a clear message naming the redacted URL when Redis cannot be reached', async () => {
    const url = `redis://:secret@127.0.0.1:${await freePort()}`;
    const result = await sigil(['optimize', taskFile, '--workers', url, '--no-cache']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('RedisUnavailableError');
    expect(result.stderr).toContain(url.replace('secret', '***'));
    expect(result.stderr).not.toContain('secret@');
  });
});
