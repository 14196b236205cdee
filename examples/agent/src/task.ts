import { exactMatch } from '@sigil/core';
import { defineTask } from '@sigil/cli';
import { islandAgent } from './agent';
import { loadAgentQuestions } from './data';
import { agentLM } from './lm';

/** The task the `sigil` CLI reads; `--lm` / `SIGIL_LM` win over `lm` (the offline simulator). */
export default defineTask({
  name: 'lantern-isles-agent',
  program: islandAgent,
  trainset: async () => (await loadAgentQuestions()).trainset,
  valset: async () => (await loadAgentQuestions()).valset,
  metric: exactMatch('answer'),
  lm: agentLM,
});
