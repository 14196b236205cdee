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
  metric: exactMatch('label'),
  lm: sentimentLM,
});
