/**
 * LM client benchmarks (issue 3). Run: npx ts-node --transpile-only benchmarks/lm.bench.ts
 *
 * 1. cache hit: median µs of `await lm.call(...)` answered from the in-memory cache, for a typical
 *    ChatAdapter-sized request (system ≈ 600 chars, user ≈ 250 chars); the request hashing alone is reported too.
 *    Target: ≤ 5 µs.
 * 2. client overhead: sequential calls to FakeOpenAIServer running in a child process, through `LM`
 *    (cache off) and through a raw `fetch` of the same body, interleaved in blocks in the same run.
 *    Reported as medians, their difference (µs per call) and their ratio; the bare `openai` SDK is timed too,
 *    to show how much of the overhead is the SDK's.
 *
 * Imports from source (ts-node does not read tsconfig paths), so no build is needed. Figures go to stdout as JSON.
 */
import { spawn } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import OpenAI from 'openai';
import { LM } from '../packages/core/src/lm/lm';
import { chatRequestKey } from '../packages/core/src/lm/request-key';
import { FakeOpenAIServer } from '../packages/testing/src/fake-server/fake-openai-server';
import type { ChatMessage } from '../packages/core/src/lm/types';

/** `--quick` (CI smoke, via benchmarks/run.ts): a tenth of the calls. */
const quick = process.argv.includes('--quick');
const HIT_CALLS = quick ? 5_000 : 50_000;
const OVERHEAD_CALLS = quick ? 200 : 2_000;
const BLOCK = 100;

const messages: ChatMessage[] = [
  {
    role: 'system',
    content:
      'Your input fields are:\n1. `question` (str)\nYour output fields are:\n1. `reasoning` (str)\n2. `answer` (str)\n' +
      'All interactions will be structured in the following way, with the appropriate values filled in.\n\n' +
      '[[ ## question ## ]]\n{question}\n\n[[ ## reasoning ## ]]\n{reasoning}\n\n[[ ## answer ## ]]\n{answer}\n\n' +
      '[[ ## completed ## ]]\nIn adhering to this structure, your objective is: \n        Answer questions with short factoid answers.'.padEnd(
        600,
        '.',
      ),
  },
  {
    role: 'user',
    content:
      '[[ ## question ## ]]\nWho wrote the novel Dune, and in which year was it first published?\n\n' +
      'Respond with the corresponding output fields, starting with the field `[[ ## reasoning ## ]]`, then ' +
      '`[[ ## answer ## ]]`, and then ending with the marker for `[[ ## completed ## ]]`.',
  },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

async function cacheHit() {
  const server = new FakeOpenAIServer({ reply: 'cached answer' });
  const baseURL = await server.start();
  const lm = new LM('openai/gpt-4o-mini', {
    baseURL,
    apiKey: 'sk-bench',
    cache: { dir: false },
    temperature: 0,
  });
  await lm.call(messages);
  await server.stop();
  const samples: number[] = [];
  for (let i = 0; i < HIT_CALLS; i++) {
    const start = process.hrtime.bigint();
    await lm.call(messages);
    samples.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  const hashSamples: number[] = [];
  for (let i = 0; i < HIT_CALLS; i++) {
    const start = process.hrtime.bigint();
    chatRequestKey('openai/gpt-4o-mini', messages, { temperature: 0 }, undefined);
    hashSamples.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  const stats = lm.stats();
  if (stats.cacheHits !== HIT_CALLS)
    throw new Error(`expected ${HIT_CALLS} cache hits, got ${stats.cacheHits}`);
  return {
    calls: HIT_CALLS,
    medianMicros: round(median(samples)),
    p90Micros: round(samples.sort((a, b) => a - b)[Math.floor(samples.length * 0.9)]),
    hashMedianMicros: round(median(hashSamples)),
    targetMicros: 5,
  };
}

async function startServerProcess(): Promise<{ baseURL: string; stop: () => void }> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename, '--serve'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const baseURL = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (data: Buffer) => resolve(data.toString().trim()));
    child.once('exit', (code) => reject(new Error(`server process exited with ${code}`)));
  });
  return { baseURL, stop: () => child.kill() };
}

async function clientOverhead() {
  const { baseURL, stop } = await startServerProcess();
  try {
    const lm = new LM('openai/gpt-4o-mini', { baseURL, apiKey: 'sk-bench', cache: 'off', temperature: 0 });
    const body = JSON.stringify({ model: 'openai/gpt-4o-mini', messages, temperature: 0 });
    const raw = async () => {
      const response = await fetch(`${baseURL}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
        body,
      });
      const json = (await response.json()) as { choices: { message: { content: string } }[] };
      return json.choices[0].message.content;
    };
    const viaLM = async () => (await lm.call(messages)).completions[0].text;
    const sdk = new OpenAI({ baseURL, apiKey: 'sk-bench', maxRetries: 0 });
    const viaSDK = async () => {
      const { data } = await sdk.chat.completions
        .create({
          model: 'openai/gpt-4o-mini',
          messages,
          temperature: 0,
        } as OpenAI.ChatCompletionCreateParamsNonStreaming)
        .withResponse();
      return data.choices[0].message.content;
    };
    for (let i = 0; i < (quick ? 20 : 200); i++) {
      await raw();
      await viaLM();
      await viaSDK();
    }
    const lmSamples: number[] = [];
    const rawSamples: number[] = [];
    const sdkSamples: number[] = [];
    for (let done = 0; done < OVERHEAD_CALLS; done += BLOCK) {
      for (const [run, samples] of [
        [viaLM, lmSamples],
        [raw, rawSamples],
        [viaSDK, sdkSamples],
      ] as const) {
        for (let i = 0; i < BLOCK; i++) {
          const start = process.hrtime.bigint();
          await run();
          samples.push(Number(process.hrtime.bigint() - start) / 1000);
        }
      }
    }
    const lmMedian = median(lmSamples);
    const rawMedian = median(rawSamples);
    return {
      calls: OVERHEAD_CALLS,
      lmMedianMicros: round(lmMedian, 1),
      rawFetchMedianMicros: round(rawMedian, 1),
      openaiSdkMedianMicros: round(median(sdkSamples), 1),
      overheadMicrosPerCall: round(lmMedian - rawMedian, 1),
      ratio: round(lmMedian / rawMedian, 3),
    };
  } finally {
    stop();
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--serve')) {
    const server = new FakeOpenAIServer({ reply: 'a short answer' });
    process.stdout.write(`${await server.start()}\n`);
    return;
  }
  const hit = await cacheHit();
  const overhead = await clientOverhead();
  const machine = {
    nproc: cpus().length,
    memoryGb: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    date: new Date().toISOString(),
  };
  process.stdout.write(
    `${JSON.stringify({ benchmark: 'lm', machine, cacheHit: hit, clientOverhead: overhead }, null, 2)}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
