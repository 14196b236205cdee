import { LM, Predict, signature } from '@sigil/core';
import OpenAI from 'openai';
const reply = JSON.stringify({ id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: '[[ ## answer ## ]]\nParis\n\n[[ ## completed ## ]]' } }], usage: { prompt_tokens: 60, completion_tokens: 4, total_tokens: 64 } });
const headers = { 'content-type': 'application/json', 'content-length': String(reply.length), date: 'x', connection: 'keep-alive', 'keep-alive': 'timeout=5' };
class H { constructor(private raw: Record<string,string>) {} get(n: string) { return this.raw[n.toLowerCase()] ?? null; } has(n: string) { return n.toLowerCase() in this.raw; } *entries() { yield* Object.entries(this.raw) as any; } forEach(cb: any) { for (const [k, v] of Object.entries(this.raw)) cb(v, k); } [Symbol.iterator]() { return this.entries(); } }
(globalThis as any).fetch = async (url: string, init: any) => { init.headers.forEach(() => {}); return { status: 200, ok: true, url, headers: new H(headers), body: null, text: async () => reply, json: async () => JSON.parse(reply) }; };
async function main() {
  const lm = new LM('openai/gpt-4o-mini', { baseURL: 'http://127.0.0.1:1/v1', apiKey: 'sk-bench', cache: 'off', transport: 'fetch' });
  const predict = new Predict(signature('question -> answer'), { lm });
  const sdk = new OpenAI({ baseURL: 'http://127.0.0.1:1/v1', apiKey: 'sk-bench', maxRetries: 0 });
  const messages = [{ role: 'system' as const, content: 'x'.repeat(600) }, { role: 'user' as const, content: 'y'.repeat(120) }];
  const runs: Record<string, () => Promise<unknown>> = {
    fetchOnly: async () => (await (fetch as any)('http://x', { headers: new Headers({ a: 'b' }) })).json(),
    sdk: async () => (await sdk.chat.completions.create({ model: 'openai/gpt-4o-mini', messages } as any).asResponse()).json(),
    lm: () => lm.call(messages),
    predict: () => predict.forward({ question: 'What is the capital of France?' }),
  };
  const only = process.argv[2];
  for (const [name, run] of Object.entries(runs)) { if (only && name !== only) continue; for (let i = 0; i < 3000; i++) await run(); }
  for (let r = 0; r < 3; r++) for (const [name, run] of Object.entries(runs)) {
    if (only && name !== only) continue;
    const c = process.cpuUsage(); const t = performance.now();
    for (let i = 0; i < 20000; i++) await run();
    const u = process.cpuUsage(c);
    console.log(name.padEnd(10), ((performance.now() - t) / 20).toFixed(1), 'us wall', ((u.user + u.system) / 20000).toFixed(1), 'us cpu');
  }
}
main();
