/**
 * Entry point of the fake provider process (see `startFakeServer`): argv[2] is the latency in ms. Prints
 * the base URL once listening. Requests are not kept (a long throughput run would otherwise grow the heap).
 */
import { FakeOpenAIServer } from '@sigil/testing';

export const SIGIL_REPLY = '[[ ## answer ## ]]\nParis\n\n[[ ## completed ## ]]';
export const AX_REPLY = 'Answer: Paris';

async function serve(latencyMs: number): Promise<void> {
  const server = new FakeOpenAIServer({
    latencyMs,
    reply: (request) => {
      server.requests.length = 0;
      const system = String(request.body.messages?.[0]?.content ?? '');
      return {
        content: system.includes('[[ ## ') ? SIGIL_REPLY : AX_REPLY,
        usage: { promptTokens: 60, completionTokens: 4 },
      };
    },
  });
  process.stdout.write(`${await server.start()}\n`);
}

if (require.main === module) void serve(Number(process.argv[2] ?? 0));
