import { createHash } from 'node:crypto';
import { Example, type ChatMessage, type LanguageModel, type LMResponse } from '@sigil/core';
import { readPrompt } from '@sigil/testing';

/**
 * A simulated landscape for MIPRO: the chance of a right answer is the instruction's quality plus a bonus
 * that depends on how many demos the prompt carries (4 is best), so there is one best kind of combination.
 * Proposal prompts are answered from a fixed list, in order.
 */
export const ORIGINAL = 'Answer the question.';
export const PROPOSALS = [
  'Answer briefly.',
  'Reply with the answer only.',
  'Read the question twice, then answer it exactly.',
  'Answer as an expert would.',
  'Give the answer.',
];
export const INSTRUCTION_QUALITY: Record<string, number> = {
  [ORIGINAL]: 0.2,
  'Answer briefly.': 0.3,
  'Reply with the answer only.': 0.35,
  'Read the question twice, then answer it exactly.': 0.55,
  'Answer as an expert would.': 0.25,
  'Give the answer.': 0.3,
};
export const DEMO_BONUS = [0, 0.05, 0.1, 0.15, 0.3];

export function trueAccuracy(instruction: string, demos: number): number {
  return (INSTRUCTION_QUALITY[instruction] ?? 0.1) + DEMO_BONUS[Math.min(demos, 4)];
}

function unit(...parts: string[]): number {
  return createHash('sha1').update(parts.join('\u0000')).digest().readUInt32BE(0) / 0x100000000;
}

export class LandscapeLM implements LanguageModel {
  readonly model = 'landscape';
  calls = 0;
  taskCalls = 0;
  constructor(private readonly seed: number) {}

  async call(messages: ChatMessage[]): Promise<LMResponse> {
    this.calls++;
    const prompt = readPrompt(messages);
    const outputs = prompt.outputFields.map((f) => f.name);
    let values: Record<string, string>;
    if (outputs.includes('proposed_instruction')) {
      const tried = (prompt.inputs.previous_instructions ?? '').split('\n').filter(Boolean).length;
      values = { reasoning: 'ok', proposed_instruction: PROPOSALS[(tried - 1) % PROPOSALS.length] };
    } else if (outputs.includes('summary')) {
      values = { summary: 'Questions with short answers.' };
    } else {
      this.taskCalls++;
      const question = prompt.inputs.question;
      const right = `answer-${question}`;
      const p = trueAccuracy(prompt.instructions, prompt.demos.length);
      const correct = unit(String(this.seed), question, prompt.instructions, String(prompt.demos.length)) < p;
      values = { answer: correct ? right : 'wrong' };
    }
    const text = Object.entries(values)
      .filter(([k]) => outputs.includes(k))
      .map(([k, v]) => `[[ ## ${k} ## ]]\n${v}`)
      .join('\n\n');
    return {
      completions: [{ text: `${text}\n\n[[ ## completed ## ]]`, finishReason: 'stop' }],
      usage: { promptTokens: 1, completionTokens: 1, cachedTokens: 0, totalTokens: 2 },
      cost: 0,
      model: this.model,
      cached: false,
      durationMs: 0,
    };
  }
}

export function questions(count: number, offset = 0): Example<{ question: string; answer: string }>[] {
  return Array.from({ length: count }, (_, i) => {
    const question = `q${offset + i}`;
    return Example.from({ question, answer: `answer-${question}` }).withInputs('question');
  });
}
