import * as path from 'node:path';
import { type Example, loadDataset, split } from '@sigil/core';

export interface QA {
  question: string;
  answer: string;
}

export interface QASplits {
  trainset: Example<QA, 'question'>[];
  valset: Example<QA, 'question'>[];
}

const QA_FILE = path.join(__dirname, '..', 'data', 'qa.jsonl');

/** The 52 question–answer pairs, split with a fixed seed: 20 to learn from, 32 to score on. */
export async function loadQA(): Promise<QASplits> {
  const { examples } = await loadDataset<QA, 'question'>(QA_FILE, { inputs: ['question'] });
  const { train, val } = split(examples, { train: 20, val: 32, seed: 11 });
  return { trainset: train, valset: val };
}
