import 'reflect-metadata';
import * as path from 'node:path';
import {
  type Example,
  Input,
  type LanguageModel,
  LM,
  loadDataset,
  oneOf,
  Output,
  Signature,
  split,
} from '@sigil/core';
import { TaskSimulator } from '@sigil/testing';

export const LABELS = ['positive', 'negative', 'neutral'] as const;

@Signature('Classify the sentiment of a product review.')
export class Sentiment {
  @Input({ desc: 'the review text' }) review!: string;
  @Output({ desc: 'one label', type: oneOf(...LABELS) }) label!: string;
}

export interface Review {
  review: string;
  label: string;
}

export interface ReviewSplits {
  trainset: Example<Review, 'review'>[];
  valset: Example<Review, 'review'>[];
}

const DATA_FILE = path.join(__dirname, '..', 'data', 'reviews.jsonl');

/**
 * The 90 labelled reviews, split with a fixed seed: 55 to learn from, 35 to score on. A valset of at most
 * 35 examples means MIPRO scores every trial on the whole valset (no minibatch noise in the printout).
 */
export async function loadReviews(): Promise<ReviewSplits> {
  const { examples } = await loadDataset<Review, 'review'>(DATA_FILE, {
    inputs: ['review'],
    map: (row) => ({ review: String(row.review), label: String(row.label) }),
  });
  const { train, val } = split(examples, { train: 55, val: 35, seed: 7 });
  return { trainset: train, valset: val };
}

/** True when `SIGIL_LM` names a real model (with `OPENAI_BASE_URL` / `OPENAI_API_KEY` for the endpoint). */
export function usingRealModel(): boolean {
  return Boolean(process.env.SIGIL_LM?.trim());
}

/**
 * The LM the example runs against: `SIGIL_LM` when set, otherwise the offline TaskSimulator over the
 * reviews — a SIMULATOR, NOT A MODEL. It knows every review's label and answers correctly with a
 * probability that rises with the instruction's quality and the number of correct demos in the prompt,
 * so it shows the optimize loop end to end without a key; its scores say nothing about a real model.
 */
export async function sentimentLM(): Promise<LanguageModel> {
  const model = process.env.SIGIL_LM?.trim();
  if (model) return new LM(model);
  const { trainset, valset } = await loadReviews();
  return new TaskSimulator({
    items: [...trainset, ...valset].map((example) => ({
      inputs: { review: example.review },
      answers: { label: example.label },
      rule: example.label,
    })),
    seed: 7,
    // The signature's own one-line instruction is a weak prompt; the defaults judge proposals by wording.
    instructions: [{ text: 'Classify the sentiment of a product review.', quality: 0.2 }],
    // What a good instruction knows about this data: an instruction that states the rule of a review's
    // label gets it right more often. Proposals learn a rule from the examples (and feedback) they see.
    rules: SENTIMENT_RULES,
    weights: { base: 0.4, instruction: 0.25, perDemo: 0.03, maxDemos: 4, rule: 0.25, ruleDemo: 0.08 },
    model: 'sigil-simulator/sentiment',
  });
}

/** The simulator's facts about the reviews, one per label. */
const SENTIMENT_RULES = [
  { id: 'positive', text: 'Reviews that praise the product (love, great, works perfectly) are positive.' },
  {
    id: 'negative',
    text: 'Reviews that warn buyers off or report a defect (broke, do not buy, cheaply made) are negative.',
  },
  {
    id: 'neutral',
    text: 'Lukewarm reviews (decent, okay, fine for the price, nothing special) are neutral.',
  },
];
