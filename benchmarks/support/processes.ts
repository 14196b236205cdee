import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

const TS_NODE = ['-r', 'ts-node/register/transpile-only'];

/** Runs a TypeScript script in a fresh Node process and parses the JSON it prints on stdout. */
export async function runScript<T>(
  script: string,
  args: readonly string[] = [],
  nodeFlags: readonly string[] = [],
): Promise<T> {
  const child = spawn(process.execPath, [...nodeFlags, ...TS_NODE, script, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${script} ${args.join(' ')} exited with code ${code}.`);
  return JSON.parse(output) as T;
}

/**
 * A FakeOpenAIServer in a process of its own (as a real provider runs elsewhere), so its CPU time never
 * stalls the client's event loop. It answers in Sigil's ChatAdapter format or in Ax's `Field: value` format,
 * whichever the request's system message uses.
 */
export async function startFakeServer(latencyMs: number): Promise<{ baseURL: string; stop: () => void }> {
  const child = spawn(process.execPath, [...TS_NODE, join(__dirname, 'fake-server.ts'), String(latencyMs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const baseURL = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (data: Buffer) => resolve(data.toString().trim()));
    child.once('exit', (code) => reject(new Error(`The fake server process exited with code ${code}.`)));
  });
  return { baseURL, stop: () => child.kill() };
}
