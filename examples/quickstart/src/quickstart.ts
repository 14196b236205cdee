/**
 * The whole loop in one run: baseline score → optimize (MIPRO light, or GEPA light with `--optimizer gepa`)
 * → optimized score → save → reload into a fresh program → one prediction. Offline against the task
 * simulator by default; set SIGIL_LM (e.g. openai/gpt-4o-mini, with OPENAI_API_KEY) to run the same script
 * against a real model (and SIGIL_REFLECTION_LM for GEPA's reflection model, default: SIGIL_LM's).
 *
 *   npm run quickstart                       MIPRO (auto: light)
 *   npm run quickstart -- --optimizer gepa   GEPA (auto: light)
 */
import * as path from 'node:path';
import { configure, Evaluate, exactMatch, LM, Predict } from '@sigil/core';
import { GEPA, MIPRO, type Optimizer, reportOf } from '@sigil/optimize';
import { loadReviews, Sentiment, sentimentLM, usingRealModel } from './sentiment';

const SAVED = path.join(__dirname, '..', 'optimized', 'sentiment.json');
const metric = exactMatch('label');

function optimizerName(argv: readonly string[]): 'mipro' | 'gepa' {
  const at = argv.indexOf('--optimizer');
  const name =
    at >= 0 ? argv[at + 1] : (argv.find((a) => a.startsWith('--optimizer='))?.split('=')[1] ?? 'mipro');
  if (name !== 'mipro' && name !== 'gepa') {
    throw new Error(`--optimizer must be mipro or gepa, got ${JSON.stringify(name)}.`);
  }
  return name;
}

async function main(): Promise<void> {
  const which = optimizerName(process.argv.slice(2));
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

  const optimizer = which === 'gepa' ? gepa(lm) : mipro();
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
    if (report.selection) {
      console.log(
        `   picked among ${report.selection.candidates} candidates: about ${report.selection.optimism.toFixed(1)} ` +
          `points of that score may be selection luck (≈ ${report.selection.heldOutEstimate.toFixed(1)}% on new reviews)`,
      );
    }
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

/** MIPRO light, printing its trials (numbered) and full evaluations (numbered apart). */
function mipro(): Optimizer {
  console.log('2. Optimizing with MIPRO (auto: light)…');
  const optimizer = new MIPRO({ metric, auto: 'light', seed: 0 });
  let best: number | undefined;
  optimizer.on('step', (step) => {
    if (step.status === 'end' && step.name === 'baseline') best = step.score;
    if (step.status === 'end' && step.name !== 'search' && step.name !== 'baseline') {
      console.log(`   ${step.name}: done (${step.calls?.total ?? 0} LM calls)`);
    }
  });
  optimizer.on('trial', (trial) => {
    if (trial.fidelity === 'full') best = Math.max(best ?? 0, trial.score);
    const what =
      trial.kind === 'trial'
        ? `trial ${String(trial.number).padStart(2)}/${trial.total}`
        : `full evaluation ${trial.number}`;
    const on = trial.fidelity === 'full' ? 'valset   ' : 'minibatch';
    console.log(
      `   ${what.padEnd(18)} ${on} ${trial.score.toFixed(1).padStart(5)}%   best (valset) ${best?.toFixed(1)}%`,
    );
  });
  return optimizer;
}

/** GEPA light, printing a line per iteration. The metric says what was expected, for reflection. */
function gepa(lm: import('@sigil/core').LanguageModel): Optimizer {
  console.log('2. Optimizing with GEPA (auto: light)…');
  const model = process.env.SIGIL_REFLECTION_LM?.trim();
  const optimizer = new GEPA({
    metric: exactMatch('label', { feedback: true }),
    auto: 'light',
    reflectionLM: model ? new LM(model) : lm,
    seed: 0,
  });
  optimizer.on('proposal', (p) => {
    const verdict =
      p.status === 'accepted'
        ? `accepted ${p.scoreBefore} → ${p.scoreAfter}: gepa #${p.candidate} scores ${p.valScore?.toFixed(1)}% on the valset`
        : p.status === 'rejected'
          ? `rejected ${p.scoreBefore} → ${p.scoreAfter}`
          : p.status;
    console.log(
      `   iteration ${String(p.iteration).padStart(2)}: ${p.component === 'merge' ? 'merge of' : 'parent'} ` +
        `${p.parents.map((i) => `#${i}`).join(' + ')} · ${verdict} · best #${p.bestIndex} ${p.bestScore.toFixed(1)}%`,
    );
  });
  return optimizer;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
