/**
 * Memory (issue 10). Run: npx ts-node --transpile-only benchmarks/memory.bench.ts [--quick]
 *
 * Peak RSS (`process.resourceUsage().maxRSS`, a process-wide high-water mark) of three jobs, each in a
 * fresh child process:
 * 1. evaluate: a generated 100,000-row JSONL file (~1 KB a row) read with `streamDataset` and evaluated by
 *    `Evaluate` (keepResults: false, every result written to JSONL) over a real `Predict` — ChatAdapter
 *    format and parse — answered by an in-process LM (evaluate.bench's streaming approach).
 * 2. journal-write: MIPRO with 1,000 trials on the optimizer benchmark's landscape, journaled to a file.
 * 3. journal-resume: the same run resumed from that journal (every trial and full evaluation replayed).
 * Children run under ts-node (the TypeScript compiler is in their RSS): the RSS before the job is reported too.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  context,
  Evaluate,
  exactMatch,
  type LanguageModel,
  type LMResponse,
  Predict,
  signature,
  streamDataset,
} from '@sigil/core';
import { MIPRO, reportOf } from '@sigil/optimize';
import { LandscapeLM, ORIGINAL, questions } from './support/landscape';
import { runScript } from './support/processes';
import { emit, quick, round } from './support/stats';
import { contentText } from '@sigil/core';

const ROWS = quick ? 5_000 : 100_000;
const TRIALS = quick ? 100 : 1_000;
const PART = '--part';

const mb = (bytes: number) => round(bytes / 2 ** 20, 1);
const peakRssMb = () => round(process.resourceUsage().maxRSS / 1024, 1);

/** Answers `[[ ## answer ## ]]` with "answer N?" for "question N?", like a perfect model. */
const perfectLM: LanguageModel = {
  model: 'perfect',
  async call(messages): Promise<LMResponse> {
    const n = /question (\d+)\?/.exec(contentText(messages[messages.length - 1].content))?.[1];
    return {
      completions: [
        { text: `[[ ## answer ## ]]\nanswer ${n}?\n\n[[ ## completed ## ]]`, finishReason: 'stop' },
      ],
      usage: { promptTokens: 300, completionTokens: 8, cachedTokens: 0, totalTokens: 308 },
      cost: 0.00001,
      model: 'perfect',
      cached: false,
      durationMs: 0,
    };
  },
};

async function writeDataset(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  const passage = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(16);
  for (let index = 0; index < rows; index++) {
    const row = {
      question: `question ${index}?`,
      context: `${index} ${passage}`,
      answer: `answer ${index}?`,
    };
    if (!out.write(`${JSON.stringify(row)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function evaluatePart(dir: string) {
  const datasetPath = join(dir, 'devset.jsonl');
  const resultsPath = join(dir, 'results.jsonl');
  await writeDataset(datasetPath, ROWS);
  const rssBeforeMb = mb(process.memoryUsage().rss);
  const program = new Predict(signature('context, question -> answer'), { lm: perfectLM });
  const started = performance.now();
  const report = await new Evaluate({
    devset: streamDataset(datasetPath, { inputs: ['question', 'context'] }),
    metric: exactMatch('answer'),
    keepResults: false,
    resultsPath,
    concurrency: 16,
    progress: false,
  }).run(program);
  const wallMs = performance.now() - started;
  if (report.total !== ROWS || report.score !== 100)
    throw new Error(`evaluate scored ${report.score} on ${report.total}`);
  return {
    rows: report.total,
    datasetMb: mb((await stat(datasetPath)).size),
    resultsMb: mb((await stat(resultsPath)).size),
    rssBeforeMb,
    peakRssMb: peakRssMb(),
    wallMs: Math.round(wallMs),
    examplesPerSecond: Math.round(report.total / (wallMs / 1000)),
  };
}

async function journalPart(journal: string, resume: boolean) {
  const rssBeforeMb = mb(process.memoryUsage().rss);
  const lm = new LandscapeLM(1);
  const program = new Predict(signature('question -> answer', ORIGINAL));
  const mipro = new MIPRO({
    metric: exactMatch('answer'),
    seed: 1,
    numCandidates: 12,
    numTrials: TRIALS,
    maxLabeledDemos: 0,
    journal,
    resume,
  });
  const started = performance.now();
  const optimized = await context({ lm }, () =>
    mipro.compile(program, { trainset: questions(30, 1000), valset: questions(100) }),
  );
  const report = reportOf(optimized)!;
  return {
    trials: TRIALS,
    fullEvaluations: report.search?.fullEvaluations,
    journalKb: round((await stat(journal)).size / 1024, 1),
    lmCalls: lm.calls,
    bestScore: report.bestScore,
    rssBeforeMb,
    peakRssMb: peakRssMb(),
    wallMs: Math.round(performance.now() - started),
  };
}

async function main(): Promise<void> {
  const part = process.argv.indexOf(PART);
  if (part >= 0) {
    const [name, path] = process.argv.slice(part + 1);
    const figures =
      name === 'evaluate' ? await evaluatePart(path) : await journalPart(path, name === 'journal-resume');
    process.stdout.write(JSON.stringify(figures));
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'sigil-memory-bench-'));
  try {
    const args = quick ? ['--quick'] : [];
    const evaluate = await runScript(__filename, [...args, PART, 'evaluate', dir]);
    const journal = join(dir, 'mipro.jsonl');
    const journalWrite = await runScript(__filename, [...args, PART, 'journal-write', journal]);
    const journalResume = await runScript(__filename, [...args, PART, 'journal-resume', journal]);
    emit('memory', { evaluate, journalWrite, journalResume, target: 'evaluate peak RSS < 300 MB' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
