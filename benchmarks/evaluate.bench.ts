/**
 * Evaluate benchmarks (issue 5). Run: npx ts-node --transpile-only benchmarks/evaluate.bench.ts
 *
 * 1. latency: 2,000 examples, each awaiting a real HTTP chat completion from a loopback
 *    FakeOpenAIServer (in a child process) that answers after 50 ms, at concurrency 64.
 *    Target: median of 3 runs of wall / ideal ≤ 1.15, ideal = 2000 × 50 ms / 64. Gated on a node:http
 *    keep-alive client (what Evaluate itself costs); the same run through Sigil's `LM` is reported too
 *    (its `openai` SDK / fetch stack costs far more CPU per call).
 * 2. memory: a generated 100,000-row JSONL file streamed through Evaluate (streamDataset, keepResults:
 *    false, results written to JSONL) with a program calling an in-process scripted LanguageModel. Target: peak RSS < 300 MB.
 *
 * Imports core from source (ts-node does not read tsconfig paths), so no build is needed.
 * The memory part runs in a fresh child process (peak RSS is a process-wide high-water mark); that RSS
 * includes ts-node and the TypeScript compiler it loads (about 170 MB before any example is read).
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import {
  Evaluate,
  Example,
  exactMatch,
  Prediction,
  streamDataset,
  type LanguageModel,
  type Usage,
} from '../packages/core/src';
import { LM } from '../packages/core/src/lm/lm';
import { FakeOpenAIServer } from '../packages/testing/src/fake-server/fake-openai-server';
import { contentText } from '../packages/core/src';

/** `--quick` (CI smoke, via benchmarks/run.ts): 512 examples once, 5,000 rows. */
const quick = process.argv.includes('--quick');
const LATENCY = {
  examples: quick ? 512 : 2_000,
  delayMs: 50,
  concurrency: 64,
  maxRatio: 1.15,
  runs: quick ? 1 : 3,
};
const MEMORY = { rows: quick ? 5_000 : 100_000, limitMb: 300 };
const MEMORY_PART_FLAG = '--memory-part';
const SERVE_FLAG = '--serve';

async function main(): Promise<void> {
  if (process.argv.includes(SERVE_FLAG))
    return serveFakeServer(Number(process.argv[process.argv.indexOf(SERVE_FLAG) + 1]));
  if (process.argv.includes(MEMORY_PART_FLAG)) {
    const dir = await mkdtemp(join(tmpdir(), 'sigil-evaluate-bench-'));
    try {
      process.stdout.write(JSON.stringify(await memoryBenchmark(dir)));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    return;
  }
  const latency = await latencyBenchmark();
  const memory = await runMemoryPartInFreshProcess();
  const figures = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
    latency,
    memory,
  };
  console.log(JSON.stringify(figures, null, 2));
  if (!latency.nodeHttp.pass || !memory.pass) process.exitCode = 1;
}

/** Peak RSS is a process-wide high-water mark, so the memory part gets a process of its own. */
async function runMemoryPartInFreshProcess(): Promise<Awaited<ReturnType<typeof memoryBenchmark>>> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', __filename, MEMORY_PART_FLAG, ...(quick ? ['--quick'] : [])],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number];
  if (code !== 0) throw new Error(`The memory benchmark process exited with code ${code}.`);
  return JSON.parse(output) as Awaited<ReturnType<typeof memoryBenchmark>>;
}

/**
 * FakeOpenAIServer answering every chat request after `delayMs`, in a child process of its own (as a real
 * server runs elsewhere), so its CPU time does not stall the evaluating event loop.
 */
async function startFakeServer(delayMs: number): Promise<{ baseURL: string; stop: () => void }> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', __filename, SERVE_FLAG, String(delayMs)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const baseURL = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (data: Buffer) => resolve(data.toString().trim()));
    child.once('exit', (code) => reject(new Error(`The fake server process exited with code ${code}.`)));
  });
  return { baseURL, stop: () => child.kill() };
}

async function serveFakeServer(delayMs: number): Promise<void> {
  const server = new FakeOpenAIServer({
    latencyMs: delayMs,
    reply: (request) => ({
      content: String(request.body.messages.at(-1).content).replace('q', 'a'),
      usage: { promptTokens: 12, completionTokens: 3 },
    }),
  });
  process.stdout.write(`${await server.start()}\n`);
}

type ChatCall = (question: string) => Promise<{ answer: string; usage: Usage; cost?: number }>;

/** A chat completion over node:http with a keep-alive agent: the cheapest real HTTP client in Node. */
function nodeHttpClient(baseURL: string): ChatCall {
  const { hostname, port, pathname } = new URL(`${baseURL}/chat/completions`);
  const agent = new Agent({ keepAlive: true, maxSockets: LATENCY.concurrency });
  return (question) =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify({ model: 'fake', messages: [{ role: 'user', content: question }] });
      const call = request({ host: hostname, port, path: pathname, method: 'POST', agent }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve(fromCompletion(JSON.parse(text) as ChatCompletion)));
      });
      call.setHeader('content-type', 'application/json');
      call.on('error', reject);
      call.end(body);
    });
}

/** The same call through Sigil's `LM` (the `openai` SDK and fetch underneath; cache off). */
function sigilLMClient(baseURL: string): ChatCall {
  const lm = new LM('openai/fake', {
    baseURL,
    apiKey: 'sk-bench',
    cache: 'off',
    maxConcurrency: LATENCY.concurrency,
  });
  return async (question) => {
    const response = await lm.call([{ role: 'user', content: question }]);
    return { answer: response.completions[0].text, usage: response.usage, cost: response.cost };
  };
}

function fromCompletion(completion: ChatCompletion): { answer: string; usage: Usage } {
  const usage = completion.usage!;
  return {
    answer: completion.choices[0].message.content ?? '',
    usage: {
      promptTokens: usage.prompt_tokens,
      completionTokens: usage.completion_tokens,
      cachedTokens: 0,
      totalTokens: usage.total_tokens,
    },
  };
}

async function latencyBenchmark() {
  const server = await startFakeServer(LATENCY.delayMs);
  try {
    return {
      nodeHttp: await measureLatency(nodeHttpClient(server.baseURL), true),
      sigilLM: await measureLatency(sigilLMClient(server.baseURL), false),
    };
  } finally {
    server.stop();
  }
}

async function measureLatency(chat: ChatCall, gating: boolean) {
  const program = {
    async forward({ question }: { question: string }) {
      const { answer, usage, cost } = await chat(question);
      return Prediction.from({ answer }, { usage, cost });
    },
  };
  const devset = Array.from({ length: LATENCY.examples }, (_, index) =>
    Example.from({ question: `q${index}`, answer: `a${index}` }).withInputs('question'),
  );
  // Warm the connection pool and the JIT (client and server) first, as a long evaluation would be warm.
  await new Evaluate({
    devset: devset.slice(0, quick ? 128 : 500),
    metric: exactMatch(),
    progress: false,
  }).run(program, {
    concurrency: LATENCY.concurrency,
  });
  const idealMs = (LATENCY.examples * LATENCY.delayMs) / LATENCY.concurrency;
  const runs: { wallMs: number; ratio: number; clientCpuMs: number; score: number; errors: number }[] = [];
  for (let run = 0; run < LATENCY.runs; run++) {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const report = await new Evaluate({
      devset,
      metric: exactMatch('answer'),
      concurrency: LATENCY.concurrency,
      progress: false,
    }).run(program);
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    runs.push({
      wallMs: Math.round(wallMs),
      ratio: Number((wallMs / idealMs).toFixed(3)),
      clientCpuMs: Math.round((cpu.user + cpu.system) / 1000),
      score: report.score,
      errors: report.errors,
    });
  }
  const median = [...runs].sort((a, b) => a.ratio - b.ratio)[Math.floor(runs.length / 2)];
  return {
    examples: LATENCY.examples,
    serverDelayMs: LATENCY.delayMs,
    concurrency: LATENCY.concurrency,
    idealMs,
    medianWallMs: median.wallMs,
    medianRatio: median.ratio,
    ratios: runs.map((run) => run.ratio),
    medianClientCpuMs: median.clientCpuMs,
    target: gating ? `median ratio ≤ ${LATENCY.maxRatio}` : 'informational',
    pass: median.ratio <= LATENCY.maxRatio && runs.every((run) => run.score === 100 && run.errors === 0),
  };
}

async function memoryBenchmark(dir: string) {
  const datasetPath = join(dir, 'devset.jsonl');
  const resultsPath = join(dir, 'results.jsonl');
  await writeDataset(datasetPath, MEMORY.rows);
  const datasetBytes = (await stat(datasetPath)).size;
  const rssBeforeRunMb = Math.round(process.memoryUsage().rss / 2 ** 20);
  let peakSampledRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakSampledRss = Math.max(peakSampledRss, process.memoryUsage().rss);
  }, 20);
  // An in-process LanguageModel shaped like @sigil/testing's ScriptedLM (which imports '@sigil/core' at
  // runtime, so it cannot load under plain ts-node without a build).
  const lm: LanguageModel = {
    model: 'scripted',
    async call(messages) {
      const text = contentText(messages[messages.length - 1].content)
        .split('\n')[0]
        .replace('question', 'answer');
      const promptTokens = Math.ceil(
        messages.reduce((sum, message) => sum + contentText(message.content).length, 0) / 4,
      );
      const completionTokens = Math.ceil(text.length / 4);
      return {
        completions: [{ text, finishReason: 'stop' }],
        usage: {
          promptTokens,
          completionTokens,
          cachedTokens: 0,
          totalTokens: promptTokens + completionTokens,
        },
        cost: 0.00001,
        model: 'scripted',
        cached: false,
        durationMs: 0,
      };
    },
  };
  const program = {
    async forward({ question, context }: { question: string; context: string }) {
      const response = await lm.call([
        { role: 'system', content: 'Answer the question from the context.' },
        { role: 'user', content: `${question}\n${context}` },
      ]);
      return Prediction.from(
        { answer: response.completions[0].text },
        { usage: response.usage, cost: response.cost },
      );
    },
  };
  const started = performance.now();
  const report = await new Evaluate({
    devset: streamDataset(datasetPath, { inputs: ['question', 'context'] }),
    metric: exactMatch('answer'),
    keepResults: false,
    resultsPath,
    progress: false,
  }).run(program);
  const wallMs = performance.now() - started;
  clearInterval(sampler);
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  return {
    rows: report.total,
    datasetMb: Number((datasetBytes / 2 ** 20).toFixed(1)),
    resultsMb: Number(((await stat(resultsPath)).size / 2 ** 20).toFixed(1)),
    wallMs: Math.round(wallMs),
    examplesPerSecond: Math.round(report.total / (wallMs / 1000)),
    rssBeforeRunMb,
    peakRssMb: Math.round(maxRssMb),
    peakSampledRssMb: Math.round(peakSampledRss / 2 ** 20),
    target: `< ${MEMORY.limitMb} MB`,
    score: report.score,
    pass: report.total === MEMORY.rows && report.score === 100 && maxRssMb < MEMORY.limitMb,
  };
}

/** Rows of about 1 KB (a question, a passage of context, an answer), written with backpressure. */
async function writeDataset(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  const passage = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(16);
  for (let index = 0; index < rows; index++) {
    const line = `${JSON.stringify({ question: `question ${index}?`, context: `${index} ${passage}`, answer: `answer ${index}?` })}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
