/**
 * The task of the distributed tests: a sentiment predictor scored by exact match, answered by the offline
 * task simulator (deterministic per prompt and seed, so every process answers alike), slowed down by a
 * fixed delay per call so that jobs take long enough to be interrupted.
 */
import 'reflect-metadata';
import { Example, exactMatch, Input, Output, Predict, Signature, type LanguageModel } from '@sigil/core';
import { TaskSimulator } from '@sigil/testing';

@Signature('Classify the sentiment of a product review.')
export class Sentiment {
  @Input() readonly review!: string;
  @Output() label!: string;
}

@Signature('Classify the sentiment of a product review.')
export class SentimentWithConfidence {
  @Input() readonly review!: string;
  @Output() label!: string;
  @Output() confidence!: number;
}

const LABELS = ['positive', 'negative', 'neutral'];
const rows = Array.from({ length: 24 }, (_, i) => ({
  review: `Review number ${i}: the product was ${['great', 'awful', 'fine'][i % 3]} in its own way (${(i * 7919) % 101}).`,
  label: LABELS[i % 3],
}));
export const examples = rows.map((row) => Example.from(row).withInputs('review'));
export const trainset = examples.slice(0, 12);
export const valset = examples.slice(12);
export const metric = exactMatch('label');
export const makeProgram = () => new Predict(Sentiment);

/** The simulator, with every call delayed by `delayMs`. */
export function simulatorLM(delayMs = 0): LanguageModel {
  const simulator = new TaskSimulator({
    items: rows.map(({ review, label }) => ({ inputs: { review }, answers: { label } })),
    seed: 7,
  });
  if (delayMs === 0) return simulator;
  return {
    model: simulator.model,
    supportsStructuredOutputs: true,
    call: async (messages, options) => {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return simulator.call(messages, options);
    },
  };
}

export const task = { name: 'sentiment', program: makeProgram, metric };
