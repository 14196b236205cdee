import { Example, exactMatch, type LanguageModel, Predict, signature } from '@sigil/core';
import { GEPA } from '@sigil/optimize';
import { knowledgeLandscape } from '@sigil/testing';

/** The small deterministic GEPA run whose LM replies are recorded in fixtures/gepa-replay.json. */
export function replayScenario() {
  const land = knowledgeLandscape({ seed: 5, rulesPerQueue: 1 });
  const examples = land.items.map((item) =>
    Example.from({ ...item.inputs, ...item.answers }).withInputs('ticket'),
  );
  return {
    simulator: () => land.simulator(),
    optimizer: (reflectionLM: LanguageModel) =>
      new GEPA({
        metric: exactMatch('queue', { feedback: true }),
        reflectionLM,
        maxMetricCalls: 90,
        seed: 1,
      }),
    program: () => new Predict(signature('ticket -> queue', land.instruction)),
    data: { trainset: examples.slice(0, 15), valset: examples.slice(15, 25) },
  };
}
