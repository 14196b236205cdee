import { type LanguageModel, LM } from '@sigil/core';
import { TaskSimulator } from '@sigil/testing';
import { loadQA } from './data';

/** True when `SIGIL_LM` names a real model (with `OPENAI_BASE_URL` / `OPENAI_API_KEY` for the endpoint). */
export function usingRealModel(): boolean {
  return Boolean(process.env.SIGIL_LM?.trim());
}

/**
 * `SIGIL_LM` when set, otherwise the offline TaskSimulator — a SIMULATOR, NOT A MODEL. It knows every
 * question's answer, but (`groundedAnswers`) gives it reliably only when the answer is written in the
 * passages of the prompt, so retrieval and the top-k parameter matter as they would for a reader; it
 * matches questions alone (`matchOn`) because the retrieved context varies with k.
 */
export async function questionAnsweringLM(): Promise<LanguageModel> {
  const model = process.env.SIGIL_LM?.trim();
  if (model) return new LM(model);
  const { trainset, valset } = await loadQA();
  return new TaskSimulator({
    items: [...trainset, ...valset].map((example) => ({
      inputs: { question: example.question },
      answers: { answer: example.answer },
    })),
    matchOn: ['question'],
    groundedAnswers: true,
    seed: 3,
    instructions: [{ text: 'Answer the question from the context, in a few words.', quality: 0.3 }],
    weights: { base: 0.4, instruction: 0.3, perDemo: 0.04, maxDemos: 4, reasoning: 0.05 },
    model: 'sigil-simulator/lantern-isles',
  });
}
