import * as path from 'node:path';
import { type Example, loadDataset, split } from '@sigil/core';
import { loadQA, type QA } from '../../rag/src/data';

export interface AgentSplits {
  trainset: Example<QA, 'question'>[];
  valset: Example<QA, 'question'>[];
}

const ARITHMETIC_FILE = path.join(__dirname, '..', 'data', 'arithmetic.jsonl');

/**
 * The rag example's 52 questions plus 10 that need a calculation over two facts, split with a fixed
 * seed: 24 to learn from, 32 to score on (a subset keeps the run short).
 */
export async function loadAgentQuestions(): Promise<AgentSplits> {
  const { trainset, valset } = await loadQA();
  const { examples: arithmetic } = await loadDataset<QA, 'question'>(ARITHMETIC_FILE, {
    inputs: ['question'],
  });
  const { train, val } = split([...trainset, ...valset, ...arithmetic], { train: 24, val: 32, seed: 5 });
  return { trainset: train, valset: val };
}
