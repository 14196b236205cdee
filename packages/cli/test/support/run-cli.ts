import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { runCli } from '@sigil/cli';

export const FIXTURES = path.join(__dirname, '..', 'fixtures');

/** A stream that keeps what is written to it. */
export class MemoryStream extends Writable {
  text = '';
  /** Called with each chunk as it is written (a test reacting to progress). */
  constructor(private readonly onText?: (chunk: string) => void) {
    super();
  }
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += String(chunk);
    this.onText?.(String(chunk));
    done();
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process in `cwd` (default: the fixtures folder) with only the given environment. */
export async function run(
  args: string[],
  options: {
    cwd?: string;
    env?: Record<string, string>;
    signal?: AbortSignal;
    stdout?: MemoryStream;
    stderr?: MemoryStream;
  } = {},
): Promise<CliResult> {
  const stdout = options.stdout ?? new MemoryStream();
  const stderr = options.stderr ?? new MemoryStream();
  const code = await runCli(args, {
    stdout,
    stderr,
    env: options.env ?? {},
    cwd: options.cwd ?? FIXTURES,
    signal: options.signal,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** A fresh temporary folder. */
export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'sigil-cli-'));
}
