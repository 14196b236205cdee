import { terminalSafe } from '@sigil/core/internal';

/** Where a CLI run reads its environment from and writes to; `runCli` takes it so tests run in-process. */
export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Readonly<Record<string, string | undefined>>;
  /** Relative paths (task, state, out, journal, report, cache) are resolved against this folder. */
  cwd: string;
  /** Ends long-running commands (`sigil sim`) as SIGINT does. */
  signal?: AbortSignal;
}

/**
 * Writes one line. Everything the CLI prints goes through here or through core's tables, so terminal
 * control characters in data (task names, prompts, replies, error messages) are shown, never obeyed.
 */
export function writeLine(stream: NodeJS.WritableStream, text = ''): void {
  stream.write(`${terminalSafe(text)}\n`);
}

/** Whether a stream is an interactive terminal (progress bars instead of lines). */
export function isInteractive(stream: NodeJS.WritableStream): boolean {
  return Boolean((stream as NodeJS.WriteStream).isTTY);
}
