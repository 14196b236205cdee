import { LM, createPooledFetch } from '@sigil/core';
import OpenAI from 'openai';
import { startFakeServer } from '../support/processes';
async function main() {
  const server = await startFakeServer(0);
  const mode = process.argv[2] ?? 'lm';
  const messages = [{ role: 'system' as const, content: 'x'.repeat(600) + '[[ ## ' }, { role: 'user' as const, content: 'y'.repeat(120) }];
  const lm = new LM('openai/gpt-4o-mini', { baseURL: server.baseURL, apiKey: 'sk-bench', cache: 'off' });
  const sdk = new OpenAI({ baseURL: server.baseURL, apiKey: 'sk-bench', maxRetries: 0, fetch: createPooledFetch() });
  const run = mode === 'lm' ? () => lm.call(messages) : async () => (await sdk.chat.completions.create({ model: 'openai/gpt-4o-mini', messages } as any).asResponse()).json();
  for (let i = 0; i < 1000; i++) await run();
  for (let r = 0; r < 3; r++) {
    const t = performance.now(); const c = process.cpuUsage();
    for (let i = 0; i < 3000; i++) await run();
    const u = process.cpuUsage(c);
    console.error(mode, ((performance.now() - t) / 3000 * 1000).toFixed(1), 'us/call', ((u.user + u.system) / 3000).toFixed(1), 'cpu us/call');
  }
  server.stop();
}
main();
