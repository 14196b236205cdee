/**
 * Entry point of a faulty fake provider process (see `startFaultServer`): argv[2] is a JSON
 * `FakeServerOptions` subset (latencyMs, faultRate, faults, seed). Answers "question N?" with
 * `answer-N` in ChatAdapter format, so a client can check every answer; prints the base URL once listening.
 */
import { spawn } from 'node:child_process';

import { FakeOpenAIServer, type FakeServerOptions } from '@sigil/testing';

type FaultServerOptions = Pick<FakeServerOptions, 'latencyMs' | 'faultRate' | 'faults' | 'seed'>;

async function serve(options: FaultServerOptions): Promise<void> {
  const server = new FakeOpenAIServer({
    ...options,
    reply: (request) => {
      server.requests.length = 0;
      const messages = request.body.messages as { content: string }[];
      const number = /question (\d+)\?/.exec(messages[messages.length - 1].content)?.[1] ?? 'none';
      return `[[ ## answer ## ]]\nanswer-${number}\n\n[[ ## completed ## ]]`;
    },
  });
  process.stdout.write(`${await server.start()}\n`);
}

/** A faulty FakeOpenAIServer in a process of its own. */
export async function startFaultServer(
  options: FaultServerOptions,
): Promise<{ baseURL: string; stop: () => void }> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', __filename, JSON.stringify(options)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const baseURL = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (data: Buffer) => resolve(data.toString().trim()));
    child.once('exit', (code) => reject(new Error(`The fault server process exited with code ${code}.`)));
  });
  return { baseURL, stop: () => child.kill() };
}

if (require.main === module) void serve(JSON.parse(process.argv[2] ?? '{}') as FaultServerOptions);
