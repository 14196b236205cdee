/**
 * Throughput (issue 10). Run: npx ts-node --transpile-only benchmarks/throughput.bench.ts [--quick]
 *
 * 2,000 calls of the `question -> answer` signature against FakeOpenAIServer answering after 50 ms (in a
 * process of its own), 64 in flight at once: wall time as a ratio of the ideal 2,000 × 50 ms / 64 =
 * 1,562.5 ms (32 rounds of 50 ms make 1,600 ms, ratio 1.024, the true floor). Sigil `Predict` (LM with
 * maxConcurrency 64, cache off) and Ax `ax(...)` (OpenAI provider, streaming off) each run through the same
 * 64-worker pool; a raw `fetch` pool shows what the HTTP stack alone achieves. Runs alternate between
 * contenders after a warm-up; the median of the runs is reported. Target: Sigil ≤ 1.15× ideal.
 *
 * CPU-bound (issue 21): the same 64-worker pool against a server answering at once (0 ms), 20,000 calls per
 * run: calls per second and client CPU per call for a raw `node:http` client (keep-alive agent), a raw
 * `fetch`, Sigil `Predict` on its pooled transport and on global fetch, and Ax. Three runs each, alternating
 * (Ax one run: at ~2.5 ms of CPU a call its 20,000 calls take most of a minute); medians reported.
 */
import { ax, AxAIOpenAI } from '@ax-llm/ax';
import { LM, Predict, signature } from '@sigil/core';
import { nodeHttpPost } from './support/node-http-fetch';
import { startFakeServer } from './support/processes';
import { emit, median, quick, round } from './support/stats';

const PLAN = quick
  ? { calls: 256, delayMs: 50, concurrency: 64, runs: 1, warmup: 128 }
  : { calls: 2_000, delayMs: 50, concurrency: 64, runs: 5, warmup: 500 };
const TARGET = 1.15;

/** Runs `call` `count` times with `concurrency` workers; resolves to the wall time in ms. */
async function pool(
  count: number,
  concurrency: number,
  call: (index: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await call(next++);
    }),
  );
  return performance.now() - started;
}

const CPU_PLAN = quick
  ? { calls: 1_000, concurrency: 64, runs: 1, axRuns: 1, warmup: 200 }
  : { calls: 20_000, concurrency: 64, runs: 3, axRuns: 1, warmup: 1_000 };

/** The CPU-bound run: a 0 ms server, so the client's own CPU per call sets the pace. */
async function cpuBound() {
  const server = await startFakeServer(0);
  try {
    const lmOptions = {
      baseURL: server.baseURL,
      apiKey: 'sk-bench',
      cache: 'off',
      maxConcurrency: CPU_PLAN.concurrency,
    } as const;
    const pooled = new Predict(signature('question -> answer'), {
      lm: new LM('openai/gpt-4o-mini', lmOptions),
    });
    const viaFetch = new Predict(signature('question -> answer'), {
      lm: new LM('openai/gpt-4o-mini', { ...lmOptions, transport: 'fetch' }),
    });
    const gen = ax('question:string -> answer:string');
    const axAI = new AxAIOpenAI({
      apiKey: 'sk-bench',
      apiURL: server.baseURL,
      config: { model: 'gpt-4o-mini' as never, stream: false },
    });
    const body = JSON.stringify({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'x'.repeat(600) },
        { role: 'user', content: 'What is the capital of France?' },
      ],
    });
    const headers = { 'content-type': 'application/json', authorization: 'Bearer sk-bench' };
    const post = nodeHttpPost(`${server.baseURL}/chat/completions`, headers, CPU_PLAN.concurrency);
    const content = (json: unknown) =>
      (json as { choices: { message: { content: string } }[] }).choices[0].message.content;
    const sigil = (predict: Predict) => async (i: number) => {
      if ((await predict.forward({ question: `question ${i}?` })).answer !== 'Paris')
        throw new Error('Sigil did not parse the reply');
    };
    const contenders: Record<string, (index: number) => Promise<unknown>> = {
      rawHttp: async () => {
        if (!content(await post(body))) throw new Error('the raw node:http client got no reply');
      },
      rawFetch: async () => {
        const response = await fetch(`${server.baseURL}/chat/completions`, { method: 'POST', headers, body });
        if (!content(await response.json())) throw new Error('the raw fetch got no reply');
      },
      sigilPooled: sigil(pooled),
      sigilFetch: sigil(viaFetch),
      axForward: async (i) => {
        const { answer } = await gen.forward(axAI, { question: `question ${i}?` }, { stream: false });
        if (answer !== 'Paris') throw new Error('Ax did not parse the reply');
      },
    };
    for (const call of Object.values(contenders)) await pool(CPU_PLAN.warmup, CPU_PLAN.concurrency, call);
    const runs: Record<string, { callsPerSecond: number; cpuMicrosPerCall: number }[]> = {};
    for (let run = 0; run < CPU_PLAN.runs; run++) {
      for (const [name, call] of Object.entries(contenders)) {
        if (name === 'axForward' && run >= CPU_PLAN.axRuns) continue;
        const cpu = process.cpuUsage();
        const wallMs = await pool(CPU_PLAN.calls, CPU_PLAN.concurrency, call);
        const used = process.cpuUsage(cpu);
        (runs[name] ??= []).push({
          callsPerSecond: Math.round((CPU_PLAN.calls / wallMs) * 1000),
          cpuMicrosPerCall: round((used.user + used.system) / CPU_PLAN.calls, 1),
        });
      }
    }
    const figures = Object.fromEntries(
      Object.entries(runs).map(([name, list]) => [
        name,
        {
          callsPerSecond: median(list.map((r) => r.callsPerSecond)),
          cpuMicrosPerCall: median(list.map((r) => r.cpuMicrosPerCall)),
          runs: list,
        },
      ]),
    );
    return {
      plan: CPU_PLAN,
      ...figures,
      sigilCpuOverRawHttp: round(figures.sigilPooled.cpuMicrosPerCall / figures.rawHttp.cpuMicrosPerCall, 2),
      axCpuOverSigil: round(figures.axForward.cpuMicrosPerCall / figures.sigilPooled.cpuMicrosPerCall, 2),
    };
  } finally {
    server.stop();
  }
}

async function main(): Promise<void> {
  const server = await startFakeServer(PLAN.delayMs);
  try {
    const lm = new LM('openai/gpt-4o-mini', {
      baseURL: server.baseURL,
      apiKey: 'sk-bench',
      cache: 'off',
      maxConcurrency: PLAN.concurrency,
    });
    const predict = new Predict(signature('question -> answer'), { lm });
    const gen = ax('question:string -> answer:string');
    const axAI = new AxAIOpenAI({
      apiKey: 'sk-bench',
      apiURL: server.baseURL,
      config: { model: 'gpt-4o-mini' as never, stream: false },
    });
    const body = JSON.stringify({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'x'.repeat(600) },
        { role: 'user', content: 'What is the capital of France?' },
      ],
    });
    const contenders: Record<string, (index: number) => Promise<unknown>> = {
      sigilPredict: async (i) => {
        const { answer } = await predict.forward({ question: `question ${i}?` });
        if (answer !== 'Paris') throw new Error('Sigil did not parse the reply');
      },
      axForward: async (i) => {
        const { answer } = await gen.forward(axAI, { question: `question ${i}?` }, { stream: false });
        if (answer !== 'Paris') throw new Error('Ax did not parse the reply');
      },
      rawFetch: async () => {
        const response = await fetch(`${server.baseURL}/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
          body,
        });
        const json = (await response.json()) as { choices: { message: { content: string } }[] };
        if (!json.choices[0].message.content) throw new Error('the raw fetch got no reply');
      },
    };
    for (const call of Object.values(contenders)) await pool(PLAN.warmup, PLAN.concurrency, call);
    const idealMs = (PLAN.calls * PLAN.delayMs) / PLAN.concurrency;
    const runs: Record<string, { wallMs: number; ratio: number; cpuMs: number }[]> = {};
    for (let run = 0; run < PLAN.runs; run++) {
      for (const [name, call] of Object.entries(contenders)) {
        const cpu = process.cpuUsage();
        const wallMs = await pool(PLAN.calls, PLAN.concurrency, call);
        const used = process.cpuUsage(cpu);
        (runs[name] ??= []).push({
          wallMs: Math.round(wallMs),
          ratio: round(wallMs / idealMs, 3),
          cpuMs: Math.round((used.user + used.system) / 1000),
        });
      }
    }
    const figures = Object.fromEntries(
      Object.entries(runs).map(([name, list]) => [
        name,
        {
          medianRatio: median(list.map((r) => r.ratio)),
          medianWallMs: median(list.map((r) => r.wallMs)),
          medianClientCpuMs: median(list.map((r) => r.cpuMs)),
          ratios: list.map((r) => r.ratio),
        },
      ]),
    );
    server.stop();
    emit('throughput', {
      plan: PLAN,
      idealMs,
      ...figures,
      target: `Sigil median ratio ≤ ${TARGET}`,
      pass: figures.sigilPredict.medianRatio <= TARGET,
      cpuBound: await cpuBound(),
    });
  } finally {
    server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
