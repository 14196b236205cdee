/**
 * The whole loop in one run: baseline score → optimize with MIPRO (light) → optimized score → save →
 * reload into a fresh program → one prediction. Offline against the task simulator by default; set
 * SIGIL_LM (e.g. openai/gpt-4o-mini, with OPENAI_API_KEY) to run the same script against a real model.
 */
import * as path from 'node:path';
import { configure, Evaluate, exactMatch, Predict } from '@sigil/core';
import { MIPRO, reportOf } from '@sigil/optimize';
import { loadReviews, Sentiment, sentimentLM, usingRealModel } from './sentiment';

const SAVED = path.join(__dirname, '..', 'optimized', 'sentiment.json');
const metric = exactMatch('label');

async function main(): Promise<void> {
  const lm = await sentimentLM();
  configure({ lm });
  const { trainset, valset } = await loadReviews();
  console.log(
    usingRealModel()
      ? `LM: ${lm.model} (SIGIL_LM)`
      : `LM: ${lm.model} — the offline TASK SIMULATOR, not a language model. Its scores only show the\n` +
          '    workflow; set SIGIL_LM (e.g. openai/gpt-4o-mini) to run this against a real model.',
  );
  console.log(`Data: ${trainset.length} training and ${valset.length} validation reviews.\n`);

  const evaluate = new Evaluate({ devset: valset, metric, progress: false });
  const baseline = await evaluate.run(new Predict(Sentiment));
  console.log(`1. Baseline (zero-shot Predict): ${baseline.score.toFixed(1)}% on the valset\n`);

  console.log('2. Optimizing with MIPRO (auto: light)…');
  const optimizer = new MIPRO({ metric, auto: 'light', seed: 0 });
  let best = baseline.score;
  let done = 0;
  optimizer.on('step', (step) => {
    if (step.status === 'end' && step.name !== 'search' && step.name !== 'baseline') {
      console.log(`   ${step.name}: done (${step.calls?.total ?? 0} LM calls)`);
    }
  });
  // Trials run several at a time and may finish out of order: number them as they finish.
  optimizer.on('trial', (trial) => {
    if (trial.fidelity === 'full') best = Math.max(best, trial.score);
    const kind = trial.fidelity === 'full' ? 'valset   ' : 'minibatch';
    console.log(
      `   trial ${String(++done).padStart(2)}/${trial.total}  ${kind} ${trial.score.toFixed(1).padStart(5)}%` +
        `   best so far ${best.toFixed(1)}%`,
    );
  });
  const optimized = await optimizer.compile(new Predict(Sentiment), { trainset, valset });
  const report = reportOf(optimized);

  const after = await evaluate.run(optimized);
  console.log(
    `\n3. Optimized: ${after.score.toFixed(1)}% on the valset (baseline ${baseline.score.toFixed(1)}%)`,
  );
  if (report) {
    console.log(
      `   ${report.calls.total} LM calls, ${(report.durationMs / 1000).toFixed(1)} s of optimization`,
    );
  }
  const [[, predictor]] = optimized.namedPredictors();
  console.log(`   instruction: ${JSON.stringify(predictor.instructions)}`);
  console.log(`   demos: ${predictor.demos.length}`);

  await optimized.save(SAVED);
  console.log(`\n4. Saved to ${path.relative(process.cwd(), SAVED)}`);

  const fresh = new Predict(Sentiment);
  await fresh.load(SAVED);
  // A validation review: the simulator only knows the dataset's reviews (a real model takes any text).
  const { review, label: expected } = valset[0];
  const { label } = await fresh.forward({ review });
  console.log(`5. Reloaded into a fresh Predict(Sentiment) and asked:\n   "${review}"`);
  console.log(`   → ${label} (labelled ${expected})`);
  console.log(`\nDone in ${process.uptime().toFixed(1)} s.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
