/**
 * Framework overhead per call (issues 4 and 10). Run: npx ts-node --transpile-only benchmarks/overhead.bench.ts [--quick]
 *
 * The same one-input/one-output signature (`question -> answer`) through Sigil's `Predict` and Ax's `ax(...)`:
 * 1. in-process: answered by an in-process LM (Sigil's ScriptedLM, Ax's AxMockAIService with a constant `chat`) with a constant
 *    reply; the overhead is the median forward time minus the median time of the LM's own `call`/`chat`.
 *    Issue 4's target: Predict.forward overhead ≤ 30 µs median.
 * 2. loopback: answered by FakeOpenAIServer (zero latency, its own process) through each library's real
 *    HTTP client (Sigil's LM, cache off; Ax's OpenAI provider, streaming off); the overhead is the median
 *    call minus the median raw `node:http` POST (keep-alive agent) of the same reply — the floor; a raw `fetch`
 *    is timed too (Sigil's default transport is cheaper than global fetch, so fetch is no floor any more).
 *    Issue 10's target: Sigil ≥ 10× less overhead than Ax.
 * Timings are interleaved in blocks so machine load affects every contender alike.
 */
import { ax, AxAIOpenAI, AxMockAIService, type AxChatResponse } from '@ax-llm/ax';
import { LM, Predict, signature, type ChatMessage } from '@sigil/core';
import { ScriptedLM } from '@sigil/testing';
import { AX_REPLY, SIGIL_REPLY } from './support/fake-server';
import { nodeHttpPost } from './support/node-http-fetch';
import { startFakeServer } from './support/processes';
import { emit, microsSince, quick, round, summarize } from './support/stats';

const IN_PROCESS = quick
  ? { warmup: 500, calls: 2_000, block: 250 }
  : { warmup: 5_000, calls: 20_000, block: 500 };
const LOOPBACK = quick ? { warmup: 50, calls: 200, block: 50 } : { warmup: 300, calls: 2_000, block: 100 };
const QUESTION = { question: 'What is the capital of France?' };

type Contender = () => Promise<unknown>;

/** Times every contender `calls` times, one block of each in turn; returns the samples in µs per contender. */
async function interleaved(
  contenders: Record<string, Contender>,
  plan: { warmup: number; calls: number; block: number },
): Promise<Record<string, number[]>> {
  for (const run of Object.values(contenders)) for (let i = 0; i < plan.warmup; i++) await run();
  const samples: Record<string, number[]> = Object.fromEntries(
    Object.keys(contenders).map((name) => [name, []]),
  );
  for (let done = 0; done < plan.calls; done += plan.block) {
    for (const [name, run] of Object.entries(contenders)) {
      for (let i = 0; i < plan.block; i++) {
        const start = process.hrtime.bigint();
        await run();
        samples[name].push(microsSince(start));
      }
    }
  }
  return samples;
}

/**
 * AxMockAIService answering a constant reply, minus the mock's latency bookkeeping: its `chat` pushes every
 * call into a sample list and sorts the whole list (for p95/p99) on each call, a cost that grows with the
 * number of calls and is no part of Ax's framework overhead.
 */
class ConstantAxAI extends AxMockAIService<string> {
  override async chat(): Promise<AxChatResponse> {
    return axMockResponse();
  }
}

function axMockResponse(): AxChatResponse {
  return {
    results: [{ index: 0, content: AX_REPLY, finishReason: 'stop' }],
    modelUsage: {
      ai: 'mock',
      model: 'mock',
      tokens: { promptTokens: 60, completionTokens: 4, totalTokens: 64 },
    },
  };
}

async function inProcess() {
  const scripted = new ScriptedLM(() => SIGIL_REPLY);
  const predict = new Predict(signature('question -> answer'), { lm: scripted });
  const gen = ax('question:string -> answer:string');
  const mock = new ConstantAxAI({ features: { functions: false, streaming: false } });
  const messages: ChatMessage[] = [
    { role: 'system', content: 'x'.repeat(600) },
    { role: 'user', content: 'y'.repeat(120) },
  ];
  const check = await predict.forward(QUESTION);
  const checkAx = await gen.forward(mock, QUESTION);
  if (check.answer !== 'Paris' || checkAx.answer !== 'Paris')
    throw new Error('a contender did not parse the reply');
  const samples = await interleaved(
    {
      sigilPredict: () => predict.forward(QUESTION),
      scriptedCall: () => scripted.call(messages, {}),
      axForward: () => gen.forward(mock, QUESTION),
      axMockChat: () => mock.chat(),
    },
    IN_PROCESS,
  );
  (scripted.calls as unknown[]).length = 0;
  const s = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, summarize(values)]));
  const sigilOverhead = s.sigilPredict.median - s.scriptedCall.median;
  const axOverhead = s.axForward.median - s.axMockChat.median;
  return {
    samples: s,
    sigilOverheadMicros: round(sigilOverhead),
    axOverheadMicros: round(axOverhead),
    axOverSigil: round(axOverhead / sigilOverhead, 1),
    predictTargetMicros: 30,
    predictPass: sigilOverhead <= 30,
  };
}

async function loopback() {
  const server = await startFakeServer(0);
  try {
    const lm = new LM('openai/gpt-4o-mini', { baseURL: server.baseURL, apiKey: 'sk-bench', cache: 'off' });
    const predict = new Predict(signature('question -> answer'), { lm });
    const gen = ax('question:string -> answer:string');
    const axAI = new AxAIOpenAI({
      apiKey: 'sk-bench',
      apiURL: server.baseURL,
      config: { model: 'gpt-4o-mini' as never, stream: false },
    });
    const first = await predict.forward(QUESTION);
    const body = JSON.stringify({ model: 'gpt-4o-mini', messages: lm.history.recent(1)[0]?.messages ?? [] });
    const raw = async () => {
      const response = await fetch(`${server.baseURL}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
        body,
      });
      const json = (await response.json()) as { choices: { message: { content: string } }[] };
      return json.choices[0].message.content;
    };
    if (first.answer !== 'Paris' || (await gen.forward(axAI, QUESTION, { stream: false })).answer !== 'Paris')
      throw new Error('a contender did not parse the reply');
    if (!(await raw()).includes('Paris')) throw new Error('the raw fetch did not get the reply');
    const post = nodeHttpPost(`${server.baseURL}/chat/completions`, {
      'content-type': 'application/json',
      authorization: 'Bearer sk-bench',
    });
    const rawHttp = async () =>
      ((await post(body)) as { choices: { message: { content: string } }[] }).choices[0].message.content;
    const samples = await interleaved(
      {
        sigilPredict: () => predict.forward(QUESTION),
        axForward: () => gen.forward(axAI, QUESTION, { stream: false }),
        rawFetch: raw,
        rawHttp,
      },
      LOOPBACK,
    );
    const s = Object.fromEntries(
      Object.entries(samples).map(([name, values]) => [name, summarize(values, 1)]),
    );
    const sigilOverhead = s.sigilPredict.median - s.rawHttp.median;
    const axOverhead = s.axForward.median - s.rawHttp.median;
    return {
      samples: s,
      sigilOverheadMicros: round(sigilOverhead, 1),
      axOverheadMicros: round(axOverhead, 1),
      axOverSigil: round(axOverhead / sigilOverhead, 2),
      target: 'axOverSigil ≥ 10',
      pass: axOverhead / sigilOverhead >= 10,
    };
  } finally {
    server.stop();
  }
}

async function main(): Promise<void> {
  const inProcessFigures = await inProcess();
  const loopbackFigures = await loopback();
  emit('overhead', { inProcess: inProcessFigures, loopback: loopbackFigures });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
