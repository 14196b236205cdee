import { LM, Predict, signature } from '@sigil/core';
import { startFakeServer } from '../support/processes';
async function main() {
  const server = await startFakeServer(0);
  const mode = process.argv[2] ?? 'predict';
  const lm = new LM('openai/gpt-4o-mini', { baseURL: server.baseURL, apiKey: 'sk-bench', cache: 'off' });
  const p = new Predict(signature('question -> answer'), { lm });
  for (let i = 0; i < 500; i++) await p.forward({ question: 'What is the capital of France?' });
  const t = performance.now(); const c = process.cpuUsage();
  for (let i = 0; i < 5000; i++) await p.forward({ question: 'What is the capital of France?' });
  const u = process.cpuUsage(c);
  console.error(mode, ((performance.now() - t) / 5000 * 1000).toFixed(1), 'us/call', ((u.user + u.system) / 5000).toFixed(1), 'cpu us/call');
  server.stop();
}
main();
