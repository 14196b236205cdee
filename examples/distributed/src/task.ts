import 'reflect-metadata';
import { Example, exactMatch, Input, type LanguageModel, Output, Predict, Signature } from '@sigil/core';
import { defineTask } from '@sigil/cli';
import { TaskSimulator } from '@sigil/testing';

@Signature('Classify the sentiment of a product review.')
export class Sentiment {
  @Input({ desc: 'the review text' }) readonly review!: string;
  @Output({ desc: 'positive, negative or neutral' }) label!: string;
}

const WORDS = { positive: 'loved', negative: 'hated', neutral: 'did not mind' } as const;
const rows = Array.from({ length: 60 }, (_, i) => {
  const label = (['positive', 'negative', 'neutral'] as const)[i % 3];
  return {
    review: `Order ${1000 + i}: I ${WORDS[label]} the ${['kettle', 'lamp', 'chair', 'desk'][i % 4]}.`,
    label,
  };
});
const examples = rows.map((row) => Example.from(row).withInputs('review'));
export const trainset = examples.slice(0, 20);
export const valset = examples.slice(20);
export const metric = exactMatch('label');
export const makeProgram = () => new Predict(Sentiment);

/**
 * The offline task simulator — a simulator, not a model — with 100 ms per call, so the work the workers
 * share is visible. Every process builds the same one (same items, same seed), so they answer alike.
 */
export function simulatorLM(): LanguageModel {
  const simulator = new TaskSimulator({
    items: rows.map(({ review, label }) => ({ inputs: { review }, answers: { label } })),
    seed: 3,
  });
  return {
    model: simulator.model,
    supportsStructuredOutputs: true,
    call: async (messages, options) => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      return simulator.call(messages, options);
    },
  };
}

/** The task the coordinator and the workers load: both must use this same file. */
export default defineTask({
  name: 'distributed-sentiment',
  program: makeProgram,
  trainset,
  valset,
  metric,
  lm: simulatorLM,
});
