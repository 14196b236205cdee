/**
 * The benchmarks run.ts runs, in order, and how their figures (the JSON each prints) become the summary
 * rows and the README tables. Every number in the tables comes from that JSON.
 */

/** One benchmark's printed figures (plus the exit code run.ts adds). */
export type Figures = Record<string, any>;

export interface Benchmark {
  /** Its key in results/latest.json and its README marker name. */
  name: string;
  file: string;
  markdown: (figures: Figures) => string;
}

/** A number with thousands separators and at most `digits` decimals. */
export function num(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', { maximumFractionDigits: digits });
}

const spread = (s: { median: number; p10: number; p90: number; n: number }, unit: string, digits = 1) =>
  `**${num(s.median, digits)} ${unit}** (p10 ${num(s.p10, digits)}, p90 ${num(s.p90, digits)}, n = ${num(s.n, 0)})`;

function table(header: string[], rows: string[][]): string {
  return [header, header.map(() => '---'), ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');
}

const pass = (ok: boolean | undefined) => (ok ? 'met' : 'missed');

/** The CPU-bound throughput run (issue 21): calls per second and client CPU per call. */
function cpuBoundTable(c: Figures): string {
  const rows: [string, string][] = [
    ['raw `node:http`, keep-alive agent', 'rawHttp'],
    ['raw global `fetch`', 'rawFetch'],
    ['Sigil `Predict`, pooled transport (default)', 'sigilPooled'],
    ["Sigil `Predict`, `transport: 'fetch'`", 'sigilFetch'],
    ['Ax `ax(...)`', 'axForward'],
  ];
  return (
    `CPU-bound: a 0 ms server, ${num(c.plan.calls, 0)} calls per run at ${c.plan.concurrency} in flight (median of ${c.plan.runs} runs; Ax ${c.plan.axRuns}):\n\n` +
    table(
      ['Client (64 workers, 0 ms server)', 'Calls per second', 'Client CPU per call', 'Runs (calls/s)'],
      rows.map(([label, key]) => [
        label,
        `**${num(c[key].callsPerSecond, 0)}**`,
        `${num(c[key].cpuMicrosPerCall, 0)} µs`,
        c[key].runs.map((r: { callsPerSecond: number }) => num(r.callsPerSecond, 0)).join(', '),
      ]),
    ) +
    `\n\nSigil's client CPU per call is ${num(c.sigilCpuOverRawHttp, 2)}× raw \`node:http\`'s; Ax's is ${num(c.axCpuOverSigil, 2)}× Sigil's.`
  );
}

/** Part 1 of optimizer.bench: per landscape, every contender's held-out score, hits and calls. */
function reflectiveTables(r: any): string {
  return Object.entries(r.landscapes as Record<string, any>)
    .map(([name, land]) => {
      const rows = Object.entries(land.contenders as Record<string, any>).map(([contender, c]) => [
        contender,
        `**${num(c.medianFinal)} %**`,
        `${c.within2} of ${c.seeds}`,
        num(c.medianCalls, 0),
        `${num(c.meanValOverHeldOut)} / ${num(c.meanEstimatedOptimism)}`,
      ]);
      const optimum = (Object.values(land.contenders)[0] as any).medianOptimum;
      const vs = land.gepaLightVsMiproLight;
      const before = land.gepaLightVsMiproLightBefore;
      return (
        `**${name}** (${land.description}; optimum ${num(optimum)} %):\n\n` +
        table(
          [
            `Optimizer (${r.seeds} seeds)`,
            'Held-out score, median',
            'Within 2 points of the optimum',
            'LM calls, median',
            'Val − held-out / estimated optimism (points, mean)',
          ],
          rows,
        ) +
        `\n\nGEPA light against MIPRO light (grounded proposer), seed by seed: better in ${vs.better}, worse in ` +
        `${vs.worse}, tied in ${vs.ties}; no more LM calls in ${vs.fewerOrEqualCalls} of ${r.seeds}. Against MIPRO ` +
        `light with DSPy's proposer: better in ${before.better}, worse in ${before.worse}, tied in ${before.ties}; ` +
        `no more LM calls in ${before.fewerOrEqualCalls}.`
      );
    })
    .join('\n\n');
}

export const BENCHMARKS: Benchmark[] = [
  {
    name: 'adapter',
    file: 'adapter.bench.ts',
    markdown: (f) =>
      table(
        ['Figure', 'Target'],
        [[`**${num(f.median_us)} µs** median (p10 ${num(f.p10_us)} µs, p90 ${num(f.p90_us)} µs)`, '≤ 20 µs']],
      ),
  },
  {
    name: 'lm',
    file: 'lm.bench.ts',
    markdown: (f) => {
      const label: Record<string, string> = {
        rawHttp: 'raw `node:http`, keep-alive agent (the floor)',
        rawFetch: 'raw global `fetch`',
        sdkFetch: '`openai` SDK over global `fetch`',
        sdkPooled: "`openai` SDK over Sigil's pooled fetch (undici)",
        sdkNodeHttp: '`openai` SDK over a `node:http` fetch (the alternative)',
        lmPooled: '`LM.call`, pooled transport (default)',
        lmFetch: "`LM.call`, `transport: 'fetch'`",
        predictPooled: 'Sigil `Predict.forward`, pooled transport (default)',
        predictFetch: "Sigil `Predict.forward`, `transport: 'fetch'`",
        axForward: 'Ax `ax(...).forward`',
      };
      const rounds = (x: { rounds: number[] }, digits: number) =>
        x.rounds.map((v) => num(v, digits)).join(', ');
      const perCall = table(
        ['Client, sequential calls over loopback', 'µs per call', 'client CPU µs per call', 'per round (µs)'],
        Object.entries(f.perCall as Record<string, any>).map(([name, v]) => [
          label[name] ?? name,
          `**${num(v.wallMicros.median, 0)}**`,
          num(v.cpuMicros.median, 0),
          rounds(v.wallMicros, 0),
        ]),
      );
      const r = f.ratios;
      const targets = table(
        ['Target (issue 21), per round', 'Median', 'Rounds', 'Met'],
        [
          [
            '`Predict.forward` ÷ raw `fetch`, µs per call',
            `**${num(r.predictOverRawFetch.median, 2)}**`,
            rounds(r.predictOverRawFetch, 2),
            `≤ 1: ${f.met.predictNoSlowerThanFetch} of ${f.rounds}`,
          ],
          [
            'Ax ÷ `Predict.forward`, µs per call',
            `**${num(r.axOverPredict.median, 2)}×**`,
            rounds(r.axOverPredict, 2),
            `≥ 5: ${f.met.axAtLeast5x} of ${f.rounds}`,
          ],
          [
            "`Predict.forward` client CPU ÷ raw `node:http`'s",
            `**${num(r.predictCpuOverRawHttp.median, 2)}×**`,
            rounds(r.predictCpuOverRawHttp, 2),
            `≤ 3: ${f.met.cpuWithin3x} of ${f.rounds}`,
          ],
          [
            'Cache hit, median µs (p90 median)',
            `**${num(f.cacheHit.median, 2)} µs** (${num(f.cacheHitP90.median, 1)})`,
            rounds(f.cacheHit, 2),
            `≤ 5 µs: ${f.met.cacheHit} of ${f.rounds}`,
          ],
          [
            '… on global fetch: `Predict.forward` ÷ raw `fetch`',
            num(r.predictFetchOverRawFetch.median, 2),
            rounds(r.predictFetchOverRawFetch, 2),
            '',
          ],
          [
            '… on global fetch: Ax ÷ `Predict.forward`',
            `${num(r.axOverPredictFetch.median, 2)}×`,
            rounds(r.axOverPredictFetch, 2),
            '',
          ],
          [
            'Transport choice: SDK over undici ÷ over `node:http`, µs / CPU',
            `${num(r.sdkPooledOverNodeHttp.median, 2)} / ${num(r.sdkPooledCpuOverNodeHttp.median, 2)}`,
            rounds(r.sdkPooledOverNodeHttp, 2),
            '',
          ],
        ],
      );
      return `${perCall}\n\n${targets}\n\n${f.rounds} rounds, each a fresh process with its own server process: ${num(f.plan.calls, 0)} timed calls per contender (after ${num(f.plan.warmup, 0)} warm-up), interleaved in blocks of ${f.plan.block}; cache hit over ${num(f.plan.hitCalls, 0)} calls.`;
    },
  },
  {
    name: 'overhead',
    file: 'overhead.bench.ts',
    markdown: ({ inProcess: i, loopback: l }) =>
      table(
        ['Figure', 'Sigil `Predict`', 'Ax `ax(...)`', 'Ax ÷ Sigil', 'Target'],
        [
          [
            'In-process LM: forward, per call',
            spread(i.samples.sigilPredict, 'µs'),
            spread(i.samples.axForward, 'µs'),
            '',
            '',
          ],
          [
            '… the LM alone (ScriptedLM.call / AxMockAIService.chat)',
            spread(i.samples.scriptedCall, 'µs'),
            spread(i.samples.axMockChat, 'µs'),
            '',
            '',
          ],
          [
            '**Overhead, LM time excluded**',
            `**${num(i.sigilOverheadMicros)} µs**`,
            `**${num(i.axOverheadMicros)} µs**`,
            `**${num(i.axOverSigil)}×**`,
            `Sigil ≤ 30 µs (issue 4): ${pass(i.predictPass)}`,
          ],
          [
            'Loopback server (0 ms): call, per call',
            spread(l.samples.sigilPredict, 'µs', 0),
            spread(l.samples.axForward, 'µs', 0),
            '',
            '',
          ],
          [
            '… raw `node:http` (keep-alive) of the same reply',
            spread(l.samples.rawHttp, 'µs', 0),
            '(same)',
            '',
            '',
          ],
          ['… raw `fetch` of the same reply', spread(l.samples.rawFetch, 'µs', 0), '(same)', '', ''],
          [
            '**Overhead over raw `node:http`**',
            `**${num(l.sigilOverheadMicros, 0)} µs**`,
            `**${num(l.axOverheadMicros, 0)} µs**`,
            `**${num(l.axOverSigil, 2)}×**`,
            `≥ 10× (issue 10): ${pass(l.pass)}`,
          ],
        ],
      ),
  },
  {
    name: 'throughput',
    file: 'throughput.bench.ts',
    markdown: (f) =>
      table(
        [
          'Client (64 workers)',
          'Wall / ideal, median',
          'Runs',
          'Wall, median',
          'Client CPU, median',
          'Target',
        ],
        [
          ['Sigil `Predict` (`LM`, cache off)', 'sigilPredict', `≤ 1.15: ${pass(f.pass)}`],
          ['Ax `ax(...)` (OpenAI provider)', 'axForward', 'reference'],
          ['raw `fetch`', 'rawFetch', 'reference'],
        ].map(([label, key, target]) => [
          label,
          `**${num(f[key].medianRatio, 3)}**`,
          f[key].ratios.map((r: number) => num(r, 3)).join(', '),
          `${num(f[key].medianWallMs, 0)} ms`,
          `${num(f[key].medianClientCpuMs, 0)} ms`,
          target,
        ]),
      ) +
      `\n\nIdeal: ${num(f.plan.calls, 0)} × ${f.plan.delayMs} ms / ${f.plan.concurrency} = ${num(f.idealMs)} ms.` +
      `\n\n${cpuBoundTable(f.cpuBound)}`,
  },
  {
    name: 'evaluate',
    file: 'evaluate.bench.ts',
    markdown: ({ latency, memory }) =>
      table(
        ['Figure', 'Result', 'Target'],
        [
          [
            `Latency, node:http client: wall / ideal (median of ${latency.nodeHttp.ratios.join(', ')})`,
            `**${num(latency.nodeHttp.medianRatio, 3)}** (${num(latency.nodeHttp.medianWallMs, 0)} ms; client CPU ${num(latency.nodeHttp.medianClientCpuMs, 0)} ms)`,
            '≤ 1.15',
          ],
          [
            `Latency, Sigil \`LM\` client: wall / ideal (median of ${latency.sigilLM.ratios.join(', ')})`,
            `${num(latency.sigilLM.medianRatio, 3)} (${num(latency.sigilLM.medianWallMs, 0)} ms; client CPU ${num(latency.sigilLM.medianClientCpuMs, 0)} ms)`,
            'reported',
          ],
          [
            `Memory, ${num(memory.rows, 0)} streamed rows: peak RSS`,
            `**${num(memory.peakRssMb, 0)} MB** (${num(memory.rssBeforeRunMb, 0)} MB before the run; ${num(memory.wallMs / 1000)} s, ~${num(memory.examplesPerSecond, 0)} examples/s)`,
            '< 300 MB',
          ],
        ],
      ),
  },
  {
    name: 'optimizer',
    file: 'optimizer.bench.ts',
    markdown: (f) => {
      const names = Object.keys(f.contenders);
      const checkpoints = f.contenders[names[0]].checkpoints.map((c: { calls: number }) => c.calls);
      const main = table(
        [
          'Optimizer',
          ...checkpoints.map((c: number) => `Expected score at ${num(c, 0)} calls`),
          'Returned: expected / measured',
          'Within 2 points of the best',
          'Calls to within 2 points, median',
        ],
        names.map((name) => {
          const c = f.contenders[name];
          return [
            name,
            ...c.checkpoints.map((p: { medianValue: number }) => `${num(p.medianValue)} %`),
            `**${num(c.medianFinalExpected)} %** / ${num(c.medianFinalMeasured)} %`,
            `${c.within2Points} of ${f.seeds}`,
            c.medianCallsToWithin2 === null ? 'not in most seeds' : `**${num(c.medianCallsToWithin2, 0)}**`,
          ];
        }),
      );
      const d = f.fidelityDecision;
      const decision = table(
        [
          `Schedule (${d.seeds} seeds)`,
          'Within 2 points',
          'Calls to within 2 points, median',
          'Expected score returned, median',
          'Seeds with fewer / more calls than the default',
        ],
        d.schedules.map((s: any) => [
          s.schedule,
          `${s.within2Points} of ${d.seeds}`,
          `**${num(s.medianCallsToWithin2, 0)}**`,
          `${num(s.medianFinalExpected)} %`,
          `${s.vsDefault.fewer} / ${s.vsDefault.more}`,
        ]),
      );
      const h35 = d.halvingVsEveryNMinibatch35;
      const h12 = d.halvingVsEveryNMinibatch12;
      return (
        `${reflectiveTables(f.reflective)}\n\n**MIPRO's schedules** on the demo-set landscape:\n\n${main}\n\nBudget ${num(f.budget, 0)} LM calls per run; valset ${f.valset}, trainset ${f.trainset}; ` +
        `search space ${num(f.space.configurations, 0)} configurations (exhaustive search: ${num(f.space.exhaustiveCalls, 0)} calls); ` +
        `best configuration's expected score, median over seeds: ${num(f.medianBest)} %.\n\n` +
        `Multi-fidelity, paired over ${d.seeds} seeds:\n\n${decision}\n\n` +
        `Halving against every-N at the same minibatch: fewer calls in ${h35.fewer}, more in ${h35.more}, tied in ` +
        `${h35.ties} seeds (minibatch 35); fewer in ${h12.fewer}, more in ${h12.more}, tied in ${h12.ties} (minibatch 12).` +
        `\n\n![Expected score of the incumbent against LM calls](results/optimizer.svg)`
      );
    },
  },
  {
    name: 'memory',
    file: 'memory.bench.ts',
    markdown: ({ evaluate: e, journalWrite: w, journalResume: r }) =>
      table(
        ['Job (fresh process each)', 'Peak RSS', 'RSS before the job', 'Time', 'Detail', 'Target'],
        [
          [
            `Evaluate, ${num(e.rows, 0)} streamed examples through \`Predict\``,
            `**${num(e.peakRssMb, 0)} MB**`,
            `${num(e.rssBeforeMb, 0)} MB`,
            `${num(e.wallMs / 1000)} s`,
            `${num(e.datasetMb)} MB in, ${num(e.resultsMb)} MB of results out; ~${num(e.examplesPerSecond, 0)} examples/s`,
            '< 300 MB',
          ],
          [
            `MIPRO, ${num(w.trials, 0)} trials, writing the journal`,
            `**${num(w.peakRssMb, 0)} MB**`,
            `${num(w.rssBeforeMb, 0)} MB`,
            `${num(w.wallMs / 1000)} s`,
            `${num(w.lmCalls, 0)} LM calls, ${w.fullEvaluations} full evaluations, journal ${num(w.journalKb, 0)} KB`,
            '',
          ],
          [
            `MIPRO, resumed from that journal`,
            `**${num(r.peakRssMb, 0)} MB**`,
            `${num(r.rssBeforeMb, 0)} MB`,
            `${num(r.wallMs / 1000)} s`,
            `${num(r.lmCalls, 0)} LM calls (the baseline, which is not journaled); same best score (${r.bestScore} %)`,
            '',
          ],
        ],
      ),
  },
  {
    name: 'coldStart',
    file: 'cold-start.bench.ts',
    markdown: (f) =>
      table(
        ['Fresh process, to first prediction', 'Sigil', 'Ax', 'Sigil ÷ Ax'],
        [
          ['In-process LM: first prediction', 'sigilScripted', 'axMock', 'firstPredictionMs'],
          ['… of which `require`', 'sigilScripted', 'axMock', 'requireMs'],
          ['Loopback server: first prediction', 'sigilServer', 'axServer', 'firstPredictionMs'],
          ['… of which `require`', 'sigilServer', 'axServer', 'requireMs'],
          ['Loopback server: process wall time (spawn to exit)', 'sigilServer', 'axServer', 'processWallMs'],
        ].map(([label, sigil, ax, figure]) => [
          label,
          spread(f[sigil][figure], 'ms'),
          spread(f[ax][figure], 'ms'),
          `${num(f[sigil][figure].median / f[ax][figure].median, 2)}`,
        ]),
      ),
  },
  {
    name: 'faults',
    file: 'faults.bench.ts',
    markdown: (f) =>
      table(
        [
          'Fault mix (30 % of requests)',
          'Right / wrong / failed',
          'Requests (retries)',
          'Wall, median',
          'Runs',
        ],
        [
          ['with `429 Retry-After: 1`, 500s, resets, stalls', 'with429'],
          ['500s, resets, stalls (no 429s)', 'without429'],
        ]
          .map(([label, key]) => {
            const m = f[key];
            const runs = m.right.length;
            return [
              label,
              `${m.right.map((n: number) => num(n, 0)).join(' / ')} right, ${m.wrong.reduce((a: number, b: number) => a + b, 0)} wrong, ${m.failed.reduce((a: number, b: number) => a + b, 0)} failed (of ${num(f.plan.calls, 0)} a run)`,
              m.requests.map((r: number, i: number) => `${num(r, 0)} (${num(m.retries[i], 0)})`).join(', '),
              `**${num(m.medianWallMs / 1000)} s** (${m.wallMs.map((w: number) => num(w / 1000)).join(', ')})`,
              String(runs),
            ];
          })
          .concat([
            [
              '**with 429s ÷ without**',
              `all right: ${f.allRight ? 'yes' : 'no'}`,
              '',
              `**${num(f.ratio, 2)}×**`,
              `target ≤ 3× and all right: ${pass(f.pass)}`,
            ],
          ]),
      ),
  },
  {
    name: 'largeReplies',
    file: 'large-replies.bench.ts',
    markdown: (f) =>
      table(
        ['Job', 'Completed', 'Heap after GC: before → after', 'Peak RSS', 'Kept', 'Time', 'Target'],
        [
          [
            `${num(f.calls, 0)} replies of ${f.plan.replyMb} MB, default settings, \`--max-old-space-size=${f.plan.heapLimitMb}\``,
            f.completed ? 'yes' : `no (${f.failure})`,
            f.completed
              ? `${num(f.heapBeforeMb)} → ${num(f.heapAfterMb)} MB (**+${num(f.heapGrowthMb)} MB**)`
              : '—',
            f.completed ? `${num(f.peakRssMb, 0)} MB` : '—',
            f.completed
              ? `history ${num(f.historyEntries, 0)} entry, ${num(f.historyChars / 1e6)} M characters; memory cache ${num(f.memoryCacheEntries, 0)} entries`
              : '',
            f.completed ? `${num(f.wallMs / 1000)} s` : '',
            `completes, growth ≤ 20 MB: ${pass(f.pass)}`,
          ],
        ],
      ),
  },
  {
    name: 'distributed',
    file: 'distributed.bench.ts',
    markdown: (f) =>
      `${num(f.plan.examples, 0)} examples, fake server at ${f.plan.latencyMs} ms per call; every worker a process of its own, one local redis-server. ` +
      `Each block keeps the concurrency per worker fixed from 1 to 4 workers:\n\n` +
      f.settings
        .map(
          (s: Figures) =>
            `**${s.inFlight} examples in flight per worker** (${s.jobsPerWorker} job${s.jobsPerWorker === 1 ? '' : 's'} of ${s.batchSize} at a time):\n\n` +
            table(
              [
                'Workers',
                'Wall',
                'Examples/s',
                'Ideal wall',
                'Mean job',
                'Queue overhead per job',
                'CPU per example (workers / coordinator)',
              ],
              s.runs.map((r: Figures) => [
                String(r.workers),
                `${num(r.wallMs / 1000, 2)} s`,
                `**${num(r.examplesPerSecond, 1)}**`,
                `${num(r.idealWallMs / 1000, 2)} s`,
                `${num(r.meanJobMs, 1)} ms`,
                `**${num(r.overheadPerJobMs, 1)} ms**`,
                `${num(r.workerCpuMsPerExample, 2)} / ${num(r.coordinatorCpuMsPerExample, 2)} ms`,
              ]),
            ) +
            `\n\nThroughput ${s.speedupWorkers} workers at ${s.inFlight} in flight: **${num(s.speedup, 2)}×** (target ≥ ${f.plan.target}×: ${s.targetMet ? 'met' : 'missed'}).`,
        )
        .join('\n\n'),
  },
  {
    name: 'streaming',
    file: 'streaming.bench.ts',
    markdown: (f) =>
      table(
        [
          'Adapter',
          'First field chunk after first LM delta',
          'First LM delta after the call',
          'Delta → chunk, every chunk',
          'Field reader CPU per delta',
          'Whole stream',
          'Target',
        ],
        ['chat', 'json'].map((name) => [
          name === 'chat' ? 'ChatAdapter' : 'JSONAdapter',
          spread(f[name].firstChunkAfterFirstDeltaMs, 'ms', 3),
          `${num(f[name].firstDeltaMs.median)} ms`,
          spread(f[name].chunkDelayMs, 'ms', 3),
          `${num(f[name].readerMicrosPerDelta, 3)} µs`,
          `${num(f[name].totalMs.median, 0)} ms (${f[name].chunksPerRun} chunks)`,
          `≤ ${f.plan.targetMs} ms (p90): ${pass(f.pass)}`,
        ]),
      ),
  },
];

/** The headline rows: [measurement, Sigil, Ax or reference, ratio, target]. */
export function summaryRows(r: Record<string, Figures>): string[][] {
  const o = r.overhead;
  const t = r.throughput;
  const opt = r.optimizer;
  const names = Object.keys(opt.contenders);
  const [mipro, , , , random, brs] = names.map((n) => opt.contenders[n]);
  const halving = opt.fidelityDecision.schedules;
  const m = r.memory;
  const c = r.coldStart;
  const within = (x: any) =>
    `${num(x.medianFinalExpected)} % / ${x.medianCallsToWithin2 === null ? 'mostly never' : `${num(x.medianCallsToWithin2, 0)} calls`}`;
  return [
    [
      '1. `Predict.forward` overhead, in-process LM, LM time excluded',
      `${num(o.inProcess.sigilOverheadMicros)} µs`,
      `Ax ${num(o.inProcess.axOverheadMicros)} µs`,
      `${num(o.inProcess.axOverSigil)}× less`,
      `≤ 30 µs: ${pass(o.inProcess.predictPass)}`,
    ],
    [
      '1. Framework overhead per call, loopback server, minus raw `node:http`',
      `${num(o.loopback.sigilOverheadMicros, 0)} µs`,
      `Ax ${num(o.loopback.axOverheadMicros, 0)} µs`,
      `${num(o.loopback.axOverSigil, 2)}× less`,
      `≥ 10× less: ${pass(o.loopback.pass)}`,
    ],
    [
      `2. Throughput, ${num(t.plan.calls, 0)} calls, ${t.plan.delayMs} ms, ${t.plan.concurrency} in flight: wall / ideal`,
      num(t.sigilPredict.medianRatio, 3),
      `Ax ${num(t.axForward.medianRatio, 3)}; raw fetch ${num(t.rawFetch.medianRatio, 3)}`,
      '',
      `≤ 1.15: ${pass(t.pass)}`,
    ],
    [
      `3. Optimizer (${opt.seeds} seeds, ${num(opt.budget, 0)} calls): expected score / calls to within 2 points`,
      `MIPRO ${within(mipro)}`,
      `random ${within(random)}; BRS ${within(brs)}`,
      '',
      `fewer calls than exhaustive (${num(opt.space.exhaustiveCalls, 0)})`,
    ],
    ...Object.entries(opt.reflective.landscapes as Record<string, any>)
      .filter(([name]) => name.startsWith('knowledge,'))
      .map(([name, land]) => {
        const gepa = land.contenders['GEPA light'];
        const mipro = land.contenders['MIPRO light (grounded proposer)'];
        return [
          `3. ${name} (${gepa.seeds} seeds): held-out score, within 2 points of the optimum, LM calls`,
          `GEPA light ${num(gepa.medianFinal)} %, ${gepa.within2}/${gepa.seeds}, ${num(gepa.medianCalls, 0)} calls`,
          `MIPRO light ${num(mipro.medianFinal)} %, ${mipro.within2}/${mipro.seeds}, ${num(mipro.medianCalls, 0)} calls`,
          `better in ${land.gepaLightVsMiproLight.better}/${gepa.seeds}`,
          `≥ 16/20 within 2 points: ${pass(gepa.within2 >= 16)}`,
        ];
      }),
    [
      `3. Multi-fidelity (${opt.fidelityDecision.seeds} seeds): calls to within 2 points`,
      `halving (rung 0 = 35 / 12): ${num(halving[2].medianCallsToWithin2, 0)} / ${num(halving[3].medianCallsToWithin2, 0)}`,
      `every-N (minibatch 35 / 12): ${num(halving[0].medianCallsToWithin2, 0)} / ${num(halving[1].medianCallsToWithin2, 0)}`,
      '',
      'halving the default if fewer',
    ],
    [
      `4. Peak RSS, Evaluate over ${num(m.evaluate.rows, 0)} streamed examples`,
      `${num(m.evaluate.peakRssMb, 0)} MB (${num(m.evaluate.rssBeforeMb, 0)} before)`,
      '',
      '',
      '< 300 MB',
    ],
    [
      `4. Peak RSS, ${num(m.journalWrite.trials, 0)}-trial MIPRO journal: write / resume`,
      `${num(m.journalWrite.peakRssMb, 0)} / ${num(m.journalResume.peakRssMb, 0)} MB`,
      '',
      '',
      '',
    ],
    [
      '5. Cold start to first prediction, in-process LM',
      `${num(c.sigilScripted.firstPredictionMs.median, 0)} ms`,
      `Ax ${num(c.axMock.firstPredictionMs.median, 0)} ms`,
      `${num(c.sigilScripted.firstPredictionMs.median / c.axMock.firstPredictionMs.median, 2)}× Ax`,
      '',
    ],
    [
      '5. Cold start to first prediction, loopback server',
      `${num(c.sigilServer.firstPredictionMs.median, 0)} ms`,
      `Ax ${num(c.axServer.firstPredictionMs.median, 0)} ms`,
      `${num(c.sigilServer.firstPredictionMs.median / c.axServer.firstPredictionMs.median, 2)}× Ax`,
      '',
    ],
    ['Adapter format + parse', `${num(r.adapter.median_us)} µs`, '', '', '≤ 20 µs'],
    [
      'LM cache hit, median of each round',
      `${num(r.lm.cacheHit.median, 2)} µs (rounds ${r.lm.cacheHit.rounds.map((v: number) => num(v, 1)).join(', ')})`,
      '',
      '',
      `≤ 5 µs every round: ${r.lm.met.cacheHit === r.lm.rounds ? 'met' : 'missed'}`,
    ],
    [
      '`Predict.forward` over loopback, µs per call (median of rounds)',
      num(r.lm.perCall.predictPooled.wallMicros.median, 0),
      `raw fetch ${num(r.lm.perCall.rawFetch.wallMicros.median, 0)}; Ax ${num(r.lm.perCall.axForward.wallMicros.median, 0)}`,
      `${num(r.lm.ratios.predictOverRawFetch.median, 2)}× fetch; Ax ${num(r.lm.ratios.axOverPredict.median, 2)}×`,
      `≤ 1× fetch: ${r.lm.met.predictNoSlowerThanFetch} of ${r.lm.rounds}; Ax ≥ 5×: ${r.lm.met.axAtLeast5x} of ${r.lm.rounds}`,
    ],
    [
      '`Predict.forward` client CPU per call vs raw `node:http`',
      `${num(r.lm.perCall.predictPooled.cpuMicros.median, 0)} µs`,
      `node:http ${num(r.lm.perCall.rawHttp.cpuMicros.median, 0)} µs`,
      `${num(r.lm.ratios.predictCpuOverRawHttp.median, 2)}×`,
      `≤ 3×: ${r.lm.met.cpuWithin3x} of ${r.lm.rounds}`,
    ],
    [
      `Throughput, CPU-bound (0 ms, ${num(t.cpuBound.plan.calls, 0)} calls, 64 in flight): calls/s`,
      num(t.cpuBound.sigilPooled.callsPerSecond, 0),
      `Ax ${num(t.cpuBound.axForward.callsPerSecond, 0)}; node:http ${num(t.cpuBound.rawHttp.callsPerSecond, 0)}; fetch ${num(t.cpuBound.rawFetch.callsPerSecond, 0)}`,
      `CPU ${num(t.cpuBound.sigilCpuOverRawHttp, 2)}× node:http`,
      '',
    ],
    [
      `6. Faults: ${num(r.faults.plan.calls, 0)} calls at ${r.faults.plan.concurrency}, 30 % faults with \`429 Retry-After\`: wall vs without 429s`,
      `${num(r.faults.with429.medianWallMs / 1000)} s, ${r.faults.allRight ? 'all right' : 'not all right'}`,
      `without 429s ${num(r.faults.without429.medianWallMs / 1000)} s`,
      `${num(r.faults.ratio, 2)}×`,
      `≤ 3×, all right: ${pass(r.faults.pass)}`,
    ],
    [
      `6. ${num(r.largeReplies.calls ?? r.largeReplies.plan.calls, 0)} replies of 25 MB under a 700 MB heap: heap growth after GC`,
      r.largeReplies.completed ? `+${num(r.largeReplies.heapGrowthMb)} MB` : 'did not complete',
      '',
      '',
      `completes, ≤ 20 MB: ${pass(r.largeReplies.pass)}`,
    ],
    [
      `Streaming: first field chunk after the first LM delta (${r.streaming.plan.tokens} tokens × ${r.streaming.plan.tokenMs} ms, ChatAdapter)`,
      `${num(r.streaming.chat.firstChunkAfterFirstDeltaMs.median, 3)} ms`,
      `JSONAdapter ${num(r.streaming.json.firstChunkAfterFirstDeltaMs.median, 3)} ms`,
      '',
      `≤ ${r.streaming.plan.targetMs} ms: ${pass(r.streaming.pass)}`,
    ],
    [
      `Evaluate, ${num(r.evaluate.latency.nodeHttp.examples, 0)} × 50 ms at 64 (node:http client): wall / ideal`,
      num(r.evaluate.latency.nodeHttp.medianRatio, 3),
      `Sigil LM client ${num(r.evaluate.latency.sigilLM.medianRatio, 3)}`,
      '',
      '≤ 1.15',
    ],
    ...r.distributed.settings.map((s: Figures) => [
      `Distributed Evaluate, ${num(r.distributed.plan.examples, 0)} × 50 ms, ${s.inFlight} in flight per worker: throughput ${s.speedupWorkers} workers`,
      `${num(s.speedup, 2)}×`,
      `queue overhead ${s.runs.map((x: Figures) => num(x.overheadPerJobMs, 1)).join(' / ')} ms per job`,
      '',
      `≥ 3.5×: ${pass(s.targetMet)}`,
    ]),
  ];
}
