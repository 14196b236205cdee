import type { Evaluation } from './evaluator';
import type { DatasetWarnings } from './reflective-dataset';
import { logWarning } from '@sigil/core/internal';

/** GEPA's warnings, each given at most once per run. */
export class GEPAWarnings implements DatasetWarnings {
  scoreMismatch = false;
  sawFeedback = false;
  private warnedNoFeedback = false;
  /** Seed minibatches seen near perfect so far (−1: decided, no more checks). */
  private nearPerfect = 0;

  constructor(
    private readonly perfectScore: number,
    private readonly minibatchSize: number,
  ) {}

  /** Notes whether an evaluation's runs carried feedback text. */
  saw(evaluation: Evaluation): void {
    for (const run of evaluation.runs.values()) if (run.feedback) this.sawFeedback = true;
  }

  /** Before a reflection: warn when no example so far had feedback text. */
  noFeedback(): void {
    if (this.sawFeedback || this.warnedNoFeedback) return;
    this.warnedNoFeedback = true;
    logWarning(
      'SIGIL_GEPA_NO_FEEDBACK',
      'GEPA: the metric returns no feedback text, so reflection only sees "This trajectory got a score of …" — ' +
        'return { score, feedback } (e.g. exactMatch("answer", { feedback: true })) to say what went wrong.',
    );
  }

  /** After a minibatch of the seed: warn when its first three minibatches were all ≥ 90% of perfect. */
  seedMinibatch(scores: readonly number[]): void {
    if (this.nearPerfect < 0) return;
    const mean = scores.reduce((a, b) => a + b, 0) / Math.max(1, scores.length);
    if (mean < 0.9 * this.perfectScore) {
      this.nearPerfect = -1;
      return;
    }
    if (++this.nearPerfect < 3) return;
    this.nearPerfect = -1;
    logWarning(
      'SIGIL_GEPA_NEAR_PERFECT',
      `GEPA: the seed scores ≥ 90% on its first minibatches of ${this.minibatchSize}; few of them show a failure ` +
        'to learn from, so most proposals will be rejected — raise reflectionMinibatchSize.',
    );
  }
}
