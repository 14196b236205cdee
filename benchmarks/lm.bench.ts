/**
 * LM client benchmarks (issues 3 and 21). Run: npx ts-node --transpile-only benchmarks/lm.bench.ts [--quick]
 *
 * Five rounds, each in a fresh process with its own FakeOpenAIServer (zero latency) in a child process:
 * 1. cache hit: median µs of `await lm.call(...)` answered from the in-memory cache, for a typical
 *    ChatAdapter-sized request (system ≈ 600 chars, user ≈ 250 chars). Target: ≤ 5 µs in every round.
 * 2. per call over loopback, sequential calls, every contender interleaved in blocks: raw `node:http` with a
 *    keep-alive agent (the floor), raw global `fetch`, the `openai` SDK over global fetch, over Sigil's pooled
 *    fetch (undici) and over a `node:http` fetch (the alternative transport), `LM.call` and `Predict.forward`
 *    on both of Sigil's transports, and Ax's `ax(...).forward`. Wall time per call (median of the calls) and
 *    client CPU per call (`process.cpuUsage()` over each block ÷ its calls, median of the blocks).
 * Targets (issue 21), per round: Predict.forward ≤ raw fetch; Ax ≥ 5× Predict.forward; Predict's client CPU
 * ≤ 3× raw node:http's. The figures are the medians over rounds; each ratio is computed within a round.
 */
import { spawn } from 'node:child_process';
import { ax, AxAIOpenAI } from '@ax-llm/ax';
import {
  createPooledFetch,
  LM,
  Predict,
  signature,
  type ChatMessage,
  type LMOptions,
} from '@sigil/core/internal';
import OpenAI from 'openai';
import { nodeHttpFetch, nodeHttpPost } from './support/node-http-fetch';
import { startFakeServer } from './support/processes';
import { emit, median, quick, round } from './support/stats';

const ROUNDS = quick ? 1 : 5;
const HIT_CALLS = quick ? 5_000 : 50_000;
const PLAN = quick ? { warmup: 30, calls: 100, block: 50 } : { warmup: 200, calls: 1_000, block: 100 };
const QUESTION = { question: 'What is the capital of France?' };

const hitMessages: ChatMessage[] = [
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

async function cacheHit(baseURL: string) {
  const lm = new LM('openai/gpt-4o-mini', {
    baseURL,
    apiKey: 'sk-bench',
    cache: { dir: false },
    temperature: 0,
  });
  await lm.call(hitMessages);
  const samples: number[] = [];
  for (let i = 0; i < HIT_CALLS; i++) {
    const start = process.hrtime.bigint();
    await lm.call(hitMessages);
    samples.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  if (lm.stats().cacheHits !== HIT_CALLS)
    throw new Error(`expected ${HIT_CALLS} cache hits, got ${lm.stats().cacheHits}`);
  samples.sort((a, b) => a - b);
  return {
    medianMicros: round(median(samples)),
    p90Micros: round(samples[Math.floor(samples.length * 0.9)]),
  };
}

type Contender = () => Promise<string>;

async function contenders(baseURL: string): Promise<Record<string, Contender>> {
  const lmOptions: LMOptions = { baseURL, apiKey: 'sk-bench', cache: 'off' };
  const pooledLM = new LM('openai/gpt-4o-mini', lmOptions);
  const fetchLM = new LM('openai/gpt-4o-mini', { ...lmOptions, transport: 'fetch' });
  const pooledPredict = new Predict(signature('question -> answer'), {
    lm: new LM('openai/gpt-4o-mini', lmOptions),
  });
  const fetchPredict = new Predict(signature('question -> answer'), {
    lm: new LM('openai/gpt-4o-mini', { ...lmOptions, transport: 'fetch' }),
  });
  let messages: ChatMessage[] = [];
  pooledLM.on('request', (event) => (messages = event.messages));
  await new Predict(signature('question -> answer'), { lm: pooledLM }).forward(QUESTION);
  const request = { model: 'openai/gpt-4o-mini', messages };
  const body = JSON.stringify(request);
  const headers = { 'content-type': 'application/json', authorization: 'Bearer sk-bench' };
  const text = (json: unknown) =>
    (json as { choices: { message: { content: string } }[] }).choices[0].message.content;
  const post = nodeHttpPost(`${baseURL}/chat/completions`, headers);
  const sdk = (options: { fetch?: typeof fetch }) => {
    const client = new OpenAI({ baseURL, apiKey: 'sk-bench', maxRetries: 0, ...options });
    return async () =>
      text(
        await (
          await client.chat.completions
            .create(request as OpenAI.ChatCompletionCreateParamsNonStreaming)
            .asResponse()
        ).json(),
      );
  };
  const gen = ax('question:string -> answer:string');
  const axAI = new AxAIOpenAI({
    apiKey: 'sk-bench',
    apiURL: baseURL,
    config: { model: 'gpt-4o-mini' as never, stream: false },
  });
  return {
    rawHttp: async () => text(await post(body)),
    rawFetch: async () =>
      text(await (await fetch(`${baseURL}/chat/completions`, { method: 'POST', headers, body })).json()),
    sdkFetch: sdk({}),
    sdkPooled: sdk({ fetch: createPooledFetch() }),
    sdkNodeHttp: sdk({ fetch: nodeHttpFetch() }),
    lmPooled: async () => (await pooledLM.call(messages)).completions[0].text,
    lmFetch: async () => (await fetchLM.call(messages)).completions[0].text,
    predictPooled: async () => String((await pooledPredict.forward(QUESTION)).answer),
    predictFetch: async () => String((await fetchPredict.forward(QUESTION)).answer),
    axForward: async () => String((await gen.forward(axAI, QUESTION, { stream: false })).answer),
  };
}

/** One round: every contender's per-call wall and CPU time, interleaved in blocks. */
async function oneRound() {
  const server = await startFakeServer(0);
  try {
    const hit = await cacheHit(server.baseURL);
    const runs = await contenders(server.baseURL);
    for (const [name, run] of Object.entries(runs)) {
      const answer = await run();
      if (!answer.includes('Paris')) throw new Error(`${name} did not get the reply (${answer})`);
      for (let i = 0; i < PLAN.warmup; i++) await run();
    }
    const wall: Record<string, number[]> = {};
    const cpu: Record<string, number[]> = {};
    for (let done = 0; done < PLAN.calls; done += PLAN.block) {
      for (const [name, run] of Object.entries(runs)) {
        const before = process.cpuUsage();
        for (let i = 0; i < PLAN.block; i++) {
          const start = process.hrtime.bigint();
          await run();
          (wall[name] ??= []).push(Number(process.hrtime.bigint() - start) / 1000);
        }
        const used = process.cpuUsage(before);
        (cpu[name] ??= []).push((used.user + used.system) / PLAN.block);
      }
    }
    const perCall = Object.fromEntries(
      Object.keys(runs).map((name) => [
        name,
        { wallMicros: round(median(wall[name]), 1), cpuMicros: round(median(cpu[name]), 1) },
      ]),
    );
    return { cacheHit: hit, perCall };
  } finally {
    server.stop();
  }
}

type Round = Awaited<ReturnType<typeof oneRound>>;

function runRound(): Promise<Round> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename, '--round'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(output) as Round) : reject(new Error(`round exited with ${code}`)),
    );
  });
}

async function main(): Promise<void> {
  if (process.argv.includes('--round')) {
    process.stdout.write(JSON.stringify(await oneRound()));
    return;
  }
  const rounds: Round[] = [];
  for (let i = 0; i < ROUNDS; i++) rounds.push(await runRound());
  const names = Object.keys(rounds[0].perCall);
  const over = (pick: (r: Round) => number) => ({
    median: round(median(rounds.map(pick)), 2),
    rounds: rounds.map((r) => round(pick(r), 2)),
  });
  const perCall = Object.fromEntries(
    names.map((name) => [
      name,
      {
        wallMicros: over((r) => r.perCall[name].wallMicros),
        cpuMicros: over((r) => r.perCall[name].cpuMicros),
      },
    ]),
  );
  const p = (r: Round) => r.perCall;
  const ratios = {
    predictOverRawFetch: over((r) => p(r).predictPooled.wallMicros / p(r).rawFetch.wallMicros),
    axOverPredict: over((r) => p(r).axForward.wallMicros / p(r).predictPooled.wallMicros),
    predictCpuOverRawHttp: over((r) => p(r).predictPooled.cpuMicros / p(r).rawHttp.cpuMicros),
    predictFetchOverRawFetch: over((r) => p(r).predictFetch.wallMicros / p(r).rawFetch.wallMicros),
    axOverPredictFetch: over((r) => p(r).axForward.wallMicros / p(r).predictFetch.wallMicros),
    sdkPooledOverNodeHttp: over((r) => p(r).sdkPooled.wallMicros / p(r).sdkNodeHttp.wallMicros),
    sdkPooledCpuOverNodeHttp: over((r) => p(r).sdkPooled.cpuMicros / p(r).sdkNodeHttp.cpuMicros),
  };
  const met = {
    cacheHit: rounds.filter((r) => r.cacheHit.medianMicros <= 5).length,
    predictNoSlowerThanFetch: ratios.predictOverRawFetch.rounds.filter((x) => x <= 1).length,
    axAtLeast5x: ratios.axOverPredict.rounds.filter((x) => x >= 5).length,
    cpuWithin3x: ratios.predictCpuOverRawHttp.rounds.filter((x) => x <= 3).length,
  };
  emit('lm', {
    rounds: ROUNDS,
    plan: { ...PLAN, hitCalls: HIT_CALLS },
    cacheHit: over((r) => r.cacheHit.medianMicros),
    cacheHitP90: over((r) => r.cacheHit.p90Micros),
    perCall,
    ratios,
    met,
    pass: Object.values(met).every((count) => count === ROUNDS),
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
