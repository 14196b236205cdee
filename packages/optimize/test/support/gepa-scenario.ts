import { Example, exactMatch, Predict, signature } from '@sigil/core';
import { GEPA } from '@sigil/optimize';
import { knowledgeLandscape, type TaskSimulator } from '@sigil/testing';

/** The GEPA run the resume and replay tests kill, resume and replay (shared with the child process). */
export function gepaScenario(journal?: string, resume = false) {
  const land = knowledgeLandscape({ seed: 3 });
  const lm = land.simulator();
  const examples = land.items.map((item) =>
    Example.from({ ...item.inputs, ...item.answers }).withInputs('ticket'),
  );
  const optimizer = (reflectionLM: TaskSimulator | import('@sigil/core').LanguageModel = lm) =>
    new GEPA({
      metric: exactMatch('queue', { feedback: true }),
      reflectionLM,
      maxMetricCalls: 150,
      seed: 2,
      journal,
      resume,
      concurrency: 4,
    });
  return {
    lm,
    optimizer,
    program: () => new Predict(signature('ticket -> queue', land.instruction)),
    data: { trainset: examples.slice(0, 30), valset: examples.slice(30, 50) },
  };
}
