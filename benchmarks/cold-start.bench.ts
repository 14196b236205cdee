/**
 * Cold start (issue 10). Run: npx ts-node --transpile-only benchmarks/cold-start.bench.ts [--quick]
 *
 * Time to first prediction in a fresh `node` process (plain JavaScript, no ts-node): require the library
 * from its built files (`@sigil/core` → packages/core/dist, `@ax-llm/ax` → its CommonJS bundle), build the
 * `question -> answer` program and await its first answer. Measured inside the child as
 * `performance.now()` (ms since the process started, Node's own boot included) at the first answer, and
 * the require alone; answered by an in-process LM (ScriptedLM / AxMockAIService) and by FakeOpenAIServer
 * over loopback (in its own, already running process). Runs alternate between contenders; medians reported.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { AX_REPLY, SIGIL_REPLY } from './support/fake-server';
import { startFakeServer } from './support/processes';
import { emit, quick, summarize } from './support/stats';

const RUNS = quick ? 2 : 15;
const ROOT = join(__dirname, '..');

/** Child scripts: each prints `{ requireMs, firstPredictionMs }` (ms since its process started). */
function scripts(baseURL: string): Record<string, string> {
  const report = `process.stdout.write(JSON.stringify({ requireMs, firstPredictionMs: performance.now(), answer: out.answer }));`;
  return {
    sigilScripted: `
      const { Predict, signature } = require('@sigil/core');
      const { ScriptedLM } = require('@sigil/testing');
      const requireMs = performance.now();
      const predict = new Predict(signature('question -> answer'), { lm: new ScriptedLM(() => ${JSON.stringify(SIGIL_REPLY)}) });
      predict.forward({ question: 'What is the capital of France?' }).then((out) => { ${report} });`,
    axMock: `
      const { ax, AxMockAIService } = require('@ax-llm/ax');
      const requireMs = performance.now();
      const mock = new AxMockAIService({ features: { functions: false, streaming: false }, chatResponse: async () => ({
        results: [{ index: 0, content: ${JSON.stringify(AX_REPLY)}, finishReason: 'stop' }],
        modelUsage: { ai: 'mock', model: 'mock', tokens: { promptTokens: 60, completionTokens: 4, totalTokens: 64 } } }) });
      ax('question:string -> answer:string').forward(mock, { question: 'What is the capital of France?' }).then((out) => { ${report} });`,
    sigilServer: `
      const { LM, Predict, signature } = require('@sigil/core');
      const requireMs = performance.now();
      const lm = new LM('openai/gpt-4o-mini', { baseURL: ${JSON.stringify(baseURL)}, apiKey: 'sk-bench', cache: 'off' });
      new Predict(signature('question -> answer'), { lm }).forward({ question: 'What is the capital of France?' }).then((out) => { ${report} });`,
    axServer: `
      const { ax, AxAIOpenAI } = require('@ax-llm/ax');
      const requireMs = performance.now();
      const llm = new AxAIOpenAI({ apiKey: 'sk-bench', apiURL: ${JSON.stringify(baseURL)}, config: { model: 'gpt-4o-mini', stream: false } });
      ax('question:string -> answer:string').forward(llm, { question: 'What is the capital of France?' }, { stream: false }).then((out) => { ${report} });`,
  };
}

async function runChild(
  script: string,
): Promise<{ requireMs: number; firstPredictionMs: number; wallMs: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  const wallMs = performance.now() - started;
  if (code !== 0) throw new Error(`A cold-start child exited with code ${code}.`);
  const result = JSON.parse(output) as { requireMs: number; firstPredictionMs: number; answer: string };
  if (result.answer !== 'Paris')
    throw new Error(`A cold-start child answered ${JSON.stringify(result.answer)}.`);
  return { requireMs: result.requireMs, firstPredictionMs: result.firstPredictionMs, wallMs };
}

async function main(): Promise<void> {
  const server = await startFakeServer(0);
  try {
    const children = scripts(server.baseURL);
    for (const script of Object.values(children)) await runChild(script);
    const samples: Record<string, { requireMs: number[]; firstPredictionMs: number[]; wallMs: number[] }> =
      {};
    for (let run = 0; run < RUNS; run++) {
      for (const [name, script] of Object.entries(children)) {
        const result = await runChild(script);
        const s = (samples[name] ??= { requireMs: [], firstPredictionMs: [], wallMs: [] });
        s.requireMs.push(result.requireMs);
        s.firstPredictionMs.push(result.firstPredictionMs);
        s.wallMs.push(result.wallMs);
      }
    }
    const figures = Object.fromEntries(
      Object.entries(samples).map(([name, s]) => [
        name,
        {
          firstPredictionMs: summarize(s.firstPredictionMs, 1),
          requireMs: summarize(s.requireMs, 1),
          processWallMs: summarize(s.wallMs, 1),
        },
      ]),
    );
    emit('coldStart', { runs: RUNS, ...figures });
  } finally {
    server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
