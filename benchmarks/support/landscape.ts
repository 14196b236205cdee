/**
 * The simulated landscape of the optimizer benchmark (the idea of packages/optimize/test/mipro/landscape.ts,
 * widened to 12 instruction candidates): the chance of a right answer is the instruction's quality plus a
 * bonus for the number of demos in the prompt (4 is best), so one kind of combination is best. Proposal
 * prompts are answered from a fixed list, in order. Answers are a deterministic hash of (seed, question,
 * instruction, demo count), so an evaluation is noisy the way a real valset is, yet reproducible.
 */
import { createHash } from 'node:crypto';
import { Example, type ChatMessage, type LanguageModel, type LMResponse } from '@sigil/core';
import { readPrompt } from '@sigil/testing';

export const ORIGINAL = 'Answer the question.';
const QUALITY: [string, number][] = [
  ['Answer briefly.', 0.3],
  ['Reply with the answer only.', 0.35],
  ['Read the question twice, then answer it exactly.', 0.55],
  ['Answer as an expert would.', 0.25],
  ['Give the answer.', 0.3],
  ['Think about what is asked, then answer.', 0.4],
  ['Answer exactly, in the words of the source.', 0.45],
  ['Respond.', 0.2],
  ['Answer the question precisely and concisely.', 0.5],
  ['State the answer plainly.', 0.35],
  ['Answer with care.', 0.3],
];
const PROPOSALS = QUALITY.map(([text]) => text);
const INSTRUCTION_QUALITY: Record<string, number> = { [ORIGINAL]: 0.2, ...Object.fromEntries(QUALITY) };
const DEMO_BONUS = [0, 0.05, 0.1, 0.15, 0.3];

/** The expected accuracy (0…1) of a prompt with this instruction and this many demos. */
export function trueAccuracy(instruction: string, demos: number): number {
  return (INSTRUCTION_QUALITY[instruction] ?? 0.1) + DEMO_BONUS[Math.min(demos, 4)];
}

/** The best expected accuracy among the given instructions and demo-set sizes. */
export function bestAccuracy(instructions: readonly string[], demoSetSizes: readonly number[]): number {
  return (
    Math.max(...instructions.map((i) => INSTRUCTION_QUALITY[i] ?? 0.1)) +
    Math.max(...demoSetSizes.map((s) => DEMO_BONUS[Math.min(s, 4)]))
  );
}

function unit(...parts: string[]): number {
  return createHash('sha1').update(parts.join('\u0000')).digest().readUInt32BE(0) / 0x100000000;
}

/** An in-process LM answering from the landscape; `calls` counts every call (proposals included). */
export class LandscapeLM implements LanguageModel {
  readonly model = 'landscape';
  calls = 0;

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
      const question = prompt.inputs.question;
      const p = trueAccuracy(prompt.instructions, prompt.demos.length);
      const correct = unit(String(this.seed), question, prompt.instructions, String(prompt.demos.length)) < p;
      values = { answer: correct ? `answer-${question}` : 'wrong' };
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
