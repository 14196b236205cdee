import { exactMatch, Predict } from '@sigil/core';
import { defineTask } from '@sigil/cli';
import { loadReviews, Sentiment, sentimentLM } from './sentiment';

/**
 * The task the `sigil` CLI reads (`npm run evaluate`, `npm run optimize`). `--lm` / `SIGIL_LM` win over
 * `lm`, which is the offline simulator unless `SIGIL_LM` is set.
 */
export default defineTask({
  name: 'sentiment',
  program: () => new Predict(Sentiment),
  trainset: async () => (await loadReviews()).trainset,
  valset: async () => (await loadReviews()).valset,
  // With feedback ("expected …, got …") for GEPA's reflection; the score is the same for every optimizer.
  metric: exactMatch('label', { feedback: true }),
  lm: sentimentLM,
  // GEPA's reflection model (`--reflection-lm` overrides it): the simulator offline, SIGIL_LM's otherwise.
  reflectionLM: sentimentLM,
});
