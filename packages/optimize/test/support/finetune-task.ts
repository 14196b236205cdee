// The fine-tuning scenario shared by the BootstrapFinetune tests and the child process they kill.
import { Example, exactMatch, LM, Predict, Predictor, Program, signature } from '@sigil/core';
import type { RecordedRequest } from '@sigil/testing';
import { BootstrapFinetune, type BootstrapFinetuneOptions } from '@sigil/optimize';

export const qa = signature('question -> answer');

/** Six sums; the fake model gets the one about 5 + 5 wrong, so the metric drops that run. */
export function sums(): Example<{ question: string; answer: string }, 'question'>[] {
  return [1, 2, 3, 4, 5, 6].map((n) =>
    Example.from({ question: `What is ${n} + ${n}?`, answer: String(2 * n) }).withInputs('question'),
  );
}

/** The fake model's reply in ChatAdapter's format: the right sum, except for 5 + 5. */
export function sumReply(request: RecordedRequest): string {
  const user = String(request.body.messages.at(-1).content);
  const [, a, b] = /What is (\d+) \+ (\d+)\?/.exec(user) ?? [];
  const sum = Number(a) + Number(b);
  return `[[ ## answer ## ]]\n${sum === 10 ? 11 : sum}\n\n[[ ## completed ## ]]`;
}

export class Solver extends Program<{ question: string }> {
  @Predictor() solve = new Predict(qa);
  async forward({ question }: { question: string }) {
    return this.solve.forward({ question });
  }
}

export function fakeLM(baseURL: string): LM {
  return new LM('gpt-4o-mini', { baseURL, apiKey: 'sk-test', cache: false });
}

export function finetuner(options: BootstrapFinetuneOptions): BootstrapFinetune {
  return new BootstrapFinetune({ metric: exactMatch('answer'), pollIntervalMs: 1, seed: 3, ...options });
}
