/**
 * Field-level streaming (issue 20). Run: npx ts-node --transpile-only benchmarks/streaming.bench.ts [--quick]
 *
 * The loopback FakeOpenAIServer streams a 50-token answer, one token every 20 ms, to `program.stream()`
 * (a `Predict`, through ChatAdapter and through JSONAdapter). An LM middleware at the bottom of the chain
 * stamps each text delta as the LM client yields it; the consumer stamps each field chunk as it arrives.
 * Target: the first field chunk within 10 ms of the first LM delta. Also reported: the delay from each
 * delta to its chunk (per-chunk overhead, wall clock) and the CPU the field reader spends per delta.
 */
import 'reflect-metadata';
import { ChatAdapter, JSONAdapter, LM, Predict, signature, wrapLM, type Adapter } from '@sigil/core';
import { JsonFieldStream, MarkerFieldStream } from '@sigil/core/internal';
import { FakeOpenAIServer } from '@sigil/testing';
import { emit, microsSince, quick, round, summarize } from './support/stats';

const TOKENS = 50;
const TOKEN_MS = 20;
const RUNS = quick ? 2 : 8;
const TARGET_MS = 10;

const words = Array.from({ length: TOKENS }, (_, i) => `word${i} `);
/** ChatAdapter: the marker and the first word come in the first token, the completed marker in the last. */
const chatChunks = words.map((w, i) =>
  i === 0 ? `[[ ## answer ## ]]\n${w}` : i === TOKENS - 1 ? `${w}\n\n[[ ## completed ## ]]` : w,
);
const jsonChunks = words.map((w, i) => (i === 0 ? `{"answer": "${w}` : i === TOKENS - 1 ? `${w}"}` : w));

interface Run {
  firstChunkAfterFirstDeltaMs: number;
  firstDeltaMs: number;
  totalMs: number;
  chunkDelaysMs: number[];
  chunks: number;
}

async function oneRun(lm: LM, adapter: Adapter, server: FakeOpenAIServer, chunks: string[]): Promise<Run> {
  server.setReply([{ chunks, chunkDelayMs: TOKEN_MS }]);
  const deltaTimes: number[] = [];
  const stamped = wrapLM(lm, {
    name: 'stamp',
    async *stream(next, messages, options) {
      for await (const event of next(messages, options)) {
        if (event.type === 'delta') deltaTimes.push(performance.now());
        yield event;
      }
    },
  });
  const predict = new Predict(signature('question -> answer'), { lm: stamped, adapter });
  const started = performance.now();
  const chunkTimes: number[] = [];
  for await (const chunk of predict.stream({ question: 'Say fifty words.' }, { status: false })) {
    if (chunk.type === 'field') chunkTimes.push(performance.now());
  }
  const total = performance.now() - started;
  // Each chunk against the delta that carried it (one field chunk per content delta here).
  const delays = chunkTimes.map((t, i) => t - deltaTimes[Math.min(i, deltaTimes.length - 1)]);
  return {
    firstChunkAfterFirstDeltaMs: chunkTimes[0] - deltaTimes[0],
    firstDeltaMs: deltaTimes[0] - started,
    totalMs: total,
    chunkDelaysMs: delays,
    chunks: chunkTimes.length,
  };
}

/** CPU of the field reader alone: microseconds per delta over the 50-token reply. */
function readerCost(make: () => { push(t: string): unknown; end(): unknown }, chunks: string[]): number {
  const rounds = quick ? 2_000 : 20_000;
  for (let i = 0; i < 200; i++) {
    const r = make();
    for (const c of chunks) r.push(c);
    r.end();
  }
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) {
    const r = make();
    for (const c of chunks) r.push(c);
    r.end();
  }
  return microsSince(start) / (rounds * chunks.length);
}

async function main(): Promise<void> {
  const server = new FakeOpenAIServer();
  const lm = new LM('openai/gpt-4o-mini', {
    baseURL: await server.start(),
    apiKey: 'sk-bench',
    cache: false,
  });
  const spec = signature('question -> answer');
  const adapters = {
    chat: {
      adapter: new ChatAdapter() as Adapter,
      chunks: chatChunks,
      reader: () => new MarkerFieldStream(spec),
    },
    json: {
      adapter: new JSONAdapter() as Adapter,
      chunks: jsonChunks,
      reader: () => new JsonFieldStream(spec),
    },
  };
  const results: Record<string, unknown> = {};
  let pass = true;
  for (const [name, { adapter, chunks, reader }] of Object.entries(adapters)) {
    await oneRun(lm, adapter, server, chunks); // warm-up
    const runs: Run[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await oneRun(lm, adapter, server, chunks));
    const first = summarize(
      runs.map((r) => r.firstChunkAfterFirstDeltaMs),
      3,
    );
    pass &&= first.p90 <= TARGET_MS;
    results[name] = {
      firstChunkAfterFirstDeltaMs: first,
      firstDeltaMs: summarize(
        runs.map((r) => r.firstDeltaMs),
        1,
      ),
      totalMs: summarize(
        runs.map((r) => r.totalMs),
        0,
      ),
      chunkDelayMs: summarize(
        runs.flatMap((r) => r.chunkDelaysMs),
        3,
      ),
      chunksPerRun: runs[0].chunks,
      readerMicrosPerDelta: round(readerCost(reader, chunks), 3),
    };
  }
  await server.stop();
  emit('streaming', {
    plan: { tokens: TOKENS, tokenMs: TOKEN_MS, runs: RUNS, targetMs: TARGET_MS },
    ...results,
    pass,
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
