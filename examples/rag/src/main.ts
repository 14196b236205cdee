/**
 * Question answering over the Lantern Isles corpus: baseline score → MIPRO (light) over the answerer's
 * instruction and demos and the retriever's top-k → optimized score → one answered question.
 * Offline against the task simulator by default; set SIGIL_LM to run it against a real model.
 */
import * as path from 'node:path';
import { configure, Evaluate, f1, savedParams } from '@sigil/core';
import { MIPRO, reportOf } from '@sigil/optimize';
import { corpus } from './corpus';
import { langchainSearch } from './langchain-retriever';
import { loadQA } from './data';
import { questionAnsweringLM, usingRealModel } from './lm';
import { RAG } from './rag';

const SAVED = path.join(__dirname, '..', 'optimized', 'rag.json');
const metric = f1('answer');
// The corpus reached through a LangChain.js retriever (src/langchain-retriever.ts), as a LangChain team would.
const search = langchainSearch();

async function main(): Promise<void> {
  const lm = await questionAnsweringLM();
  configure({ lm });
  const { trainset, valset } = await loadQA();
  console.log(
    usingRealModel()
      ? `LM: ${lm.model} (SIGIL_LM)`
      : `LM: ${lm.model} — the offline TASK SIMULATOR, not a language model: it shows the workflow,\n` +
          '    its scores say nothing about a real model. Set SIGIL_LM to use one.',
  );
  console.log(
    `Corpus: ${corpus().passages.length} passages (MiniSearch, BM25, behind a LangChain.js retriever). ` +
      `Data: ${trainset.length} training and ${valset.length} validation questions.\n`,
  );

  const evaluate = new Evaluate({ devset: valset, metric, progress: false });
  const baseline = await evaluate.run(new RAG(search));
  console.log(`Baseline (k = 1, zero-shot ChainOfThought): F1 ${baseline.score.toFixed(1)}%\n`);

  console.log('Optimizing with MIPRO (auto: light)…');
  const optimizer = new MIPRO({ metric, auto: 'light', seed: 0 });
  let best = baseline.score;
  // Trials and full evaluations are numbered apart; only full evaluations count for the best score.
  optimizer.on('trial', (trial) => {
    if (trial.fidelity === 'full') best = Math.max(best, trial.score);
    console.log(
      `  ${trial.kind === 'trial' ? `trial ${String(trial.number).padStart(2)}/${trial.total}` : `full evaluation ${trial.number}`}  k = ${savedParams(trial.state).k ?? '?'}` +
        `  F1 ${trial.score.toFixed(1).padStart(5)}%  best (valset) ${best.toFixed(1)}%`,
    );
  });
  const optimized = await optimizer.compile(new RAG(search), { trainset, valset });
  const after = await evaluate.run(optimized);
  const report = reportOf(optimized);
  console.log(`\nOptimized: F1 ${after.score.toFixed(1)}% (baseline ${baseline.score.toFixed(1)}%)`);
  console.log(`  k = ${optimized.k}, ${optimized.respond.predict.demos.length} demos, instruction:`);
  console.log(`  ${JSON.stringify(optimized.respond.predict.instructions)}`);
  if (report) console.log(`  ${report.calls.total} LM calls`);
  await optimized.save(SAVED);
  console.log(`Saved to ${path.relative(process.cwd(), SAVED)}\n`);

  const rag = await new RAG(search).load(SAVED);
  const { question } = valset[0];
  const { answer, reasoning } = await rag.forward({ question });
  console.log(`Q: ${question}\nA: ${answer}\n   (${reasoning})`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
