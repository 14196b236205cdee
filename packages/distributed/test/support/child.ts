/**
 * Starts a TypeScript child process (ts-node, workspace packages by name) and collects the JSON lines it
 * prints on stdout; stops it by PID.
 */
import { type ChildProcess, fork } from 'node:child_process';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../../..');

/** A child process running `script` with `args`. */
export interface Child {
  readonly process: ChildProcess;
  /** Every JSON line printed so far. */
  readonly messages: any[];
  /** Every other line printed so far. */
  readonly lines: string[];
  /** Resolves with the first message `match` accepts. */
  waitFor(match: (message: any) => boolean, timeoutMs?: number): Promise<any>;
  /** Resolves when the process has exited, with its code and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL by PID (no clean-up in the child). */
  kill(): Promise<void>;
}

export function startChild(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Child {
  const child = fork(path.join(__dirname, script), args, {
    execArgv: ['-r', 'ts-node/register/transpile-only', '-r', path.join(__dirname, 'aliases.ts')],
    env: { ...process.env, ...env, TS_NODE_PROJECT: path.join(root, 'tsconfig.test.json') },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const messages: any[] = [];
  const lines: string[] = [];
  const listeners = new Set<() => void>();
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line.startsWith('{')) messages.push(JSON.parse(line));
      else lines.push(line);
      for (const listener of [...listeners]) listener();
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      resolve({ code, signal });
      for (const listener of [...listeners]) listener();
    }),
  );
  return {
    process: child,
    messages,
    lines,
    exited,
    waitFor: (match, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(match);
          if (found !== undefined) {
            done();
            resolve(found);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            done();
            reject(
              new Error(`child ${script} exited (${child.exitCode ?? child.signalCode}) before the message`),
            );
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`child ${script}: no matching message within ${timeoutMs} ms`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      }),
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(child.pid as number, 'SIGKILL');
        await exited;
      }
    },
  };
}
