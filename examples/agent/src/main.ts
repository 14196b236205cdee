/**
 * A ReAct agent with two tools (corpus search, calculator): baseline score → MIPRO (light) over both of
 * its predictors (`react`, `extract.predict`) → optimized score → one question with its trajectory.
 * Offline against the task simulator by default; set SIGIL_LM to run it against a real model.
 */
import * as path from 'node:path';
import { configure, Evaluate, exactMatch } from '@sigil/core';
import { MIPRO, reportOf } from '@sigil/optimize';
import { islandAgent } from './agent';
import { loadAgentQuestions } from './data';
import { agentLM, usingRealModel } from './lm';

const SAVED = path.join(__dirname, '..', 'optimized', 'agent.json');
const metric = exactMatch('answer');

async function main(): Promise<void> {
  const lm = await agentLM();
  configure({ lm });
  const { trainset, valset } = await loadAgentQuestions();
  console.log(
    usingRealModel()
      ? `LM: ${lm.model} (SIGIL_LM)`
      : `LM: ${lm.model} — the offline TASK SIMULATOR, not a language model: as an agent it searches\n` +
          '    once and finishes, and never uses the calculator. Set SIGIL_LM to run a real model.',
  );
  console.log(`Data: ${trainset.length} training and ${valset.length} validation questions.\n`);

  const evaluate = new Evaluate({ devset: valset, metric, progress: false });
  const baseline = await evaluate.run(islandAgent());
  console.log(`Baseline (zero-shot ReAct): ${baseline.score.toFixed(1)}%\n`);

  console.log('Optimizing with MIPRO (auto: light)…');
  // Demos only from the agent's own successful runs: a labelled example (question, answer) has none of
  // the react step's fields (next_thought, next_tool_name, next_tool_args).
  const optimizer = new MIPRO({ metric, auto: 'light', maxLabeledDemos: 0, seed: 0 });
  let best = baseline.score;
  // Trials and full evaluations are numbered apart; only full evaluations count for the best score.
  optimizer.on('trial', (trial) => {
    if (trial.fidelity === 'full') best = Math.max(best, trial.score);
    console.log(
      `  ${trial.kind === 'trial' ? `trial ${String(trial.number).padStart(2)}/${trial.total}` : `full evaluation ${trial.number}`}  ${trial.score.toFixed(1).padStart(5)}%` +
        `  best (valset) ${best.toFixed(1)}%`,
    );
  });
  const optimized = await optimizer.compile(islandAgent(), { trainset, valset });
  const after = await evaluate.run(optimized);
  const report = reportOf(optimized);
  console.log(`\nOptimized: ${after.score.toFixed(1)}% (baseline ${baseline.score.toFixed(1)}%)`);
  if (report) console.log(`  ${report.calls.total} LM calls`);
  await optimized.save(SAVED);
  console.log(`Saved to ${path.relative(process.cwd(), SAVED)}\n`);

  const agent = await islandAgent().load(SAVED);
  const { question } = valset[0];
  const { answer, trajectory } = await agent.forward({ question });
  console.log(`Q: ${question}`);
  for (let i = 0; `tool_name_${i}` in trajectory; i++) {
    const observation = JSON.stringify(trajectory[`observation_${i}`]);
    console.log(
      `  ${String(trajectory[`tool_name_${i}`])}(${JSON.stringify(trajectory[`tool_args_${i}`])})` +
        ` → ${observation.length > 100 ? `${observation.slice(0, 100)}…` : observation}`,
    );
  }
  console.log(`A: ${answer}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
