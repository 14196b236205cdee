import { type LanguageModel, LM } from '@sigil/core';
import { TaskSimulator } from '@sigil/testing';
import { loadAgentQuestions } from './data';

/** True when `SIGIL_LM` names a real model (with `OPENAI_BASE_URL` / `OPENAI_API_KEY` for the endpoint). */
export function usingRealModel(): boolean {
  return Boolean(process.env.SIGIL_LM?.trim());
}

/**
 * `SIGIL_LM` when set, otherwise the offline TaskSimulator — a SIMULATOR, NOT A MODEL. As an agent it
 * always calls `search_corpus` with the question, then `finish`; the extract step then knows an answer
 * reliably only when the search's observation holds it (`groundedAnswers`). It never calls the
 * calculator, so the calculation questions stay mostly wrong offline; a real model can use the tool.
 */
export async function agentLM(): Promise<LanguageModel> {
  const model = process.env.SIGIL_LM?.trim();
  if (model) return new LM(model);
  const { trainset, valset } = await loadAgentQuestions();
  return new TaskSimulator({
    items: [...trainset, ...valset].map((example) => ({
      inputs: { question: example.question },
      answers: { answer: example.answer },
    })),
    matchOn: ['question'],
    groundedAnswers: true,
    seed: 5,
    weights: { base: 0.4, instruction: 0.3, perDemo: 0.04, maxDemos: 4, reasoning: 0.05 },
    model: 'sigil-simulator/lantern-isles-agent',
  });
}
