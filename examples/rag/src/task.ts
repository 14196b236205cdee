import { f1 } from '@sigil/core';
import { defineTask } from '@sigil/cli';
import { langchainSearch } from './langchain-retriever';
import { loadQA } from './data';
import { questionAnsweringLM } from './lm';
import { RAG } from './rag';

/** The task the `sigil` CLI reads; `--lm` / `SIGIL_LM` win over `lm` (the offline simulator). */
export default defineTask({
  name: 'lantern-isles-rag',
  program: () => new RAG(langchainSearch()),
  trainset: async () => (await loadQA()).trainset,
  valset: async () => (await loadQA()).valset,
  metric: f1('answer'),
  lm: questionAnsweringLM,
});
