import {
  type ChatMessage,
  Example,
  exactMatch,
  type LanguageModel,
  type LMResponse,
  Predict,
  Predictor,
  Program,
  signature,
} from '@sigil/core';
import { readPrompt } from '@sigil/testing';

/** `q<i>` → `a<i>`: the examples of the GEPA harness. */
export function keyedExamples(
  from: number,
  count: number,
): Example<{ question: string; answer: string }, 'question'>[] {
  return Array.from({ length: count }, (_, k) =>
    Example.from({ question: `q${from + k}`, answer: `a${from + k}` }).withInputs('question'),
  );
}

function response(text: string): LMResponse {
  return {
    completions: [{ text, finishReason: 'stop' }],
    usage: { promptTokens: 1, completionTokens: 1, cachedTokens: 0, totalTokens: 2 },
    cost: 0,
    model: 'harness',
    cached: false,
    durationMs: 0,
  };
}

/**
 * The task LM of the harness: question `q<i>` is answered right exactly when the prompt's instruction
 * holds the word `ALL` or the token `q<i>` — so a test decides which proposals help by their text.
 */
export class KeywordLM implements LanguageModel {
  readonly model = 'keyword-lm';
  calls = 0;

  async call(messages: ChatMessage[]): Promise<LMResponse> {
    this.calls++;
    const prompt = readPrompt(messages);
    const question = prompt.inputs.question ?? '';
    const words = prompt.instructions.split(/\s+/);
    const right = words.includes('ALL') || words.includes(question);
    const answer = right ? question.replace(/^q/, 'a') : 'wrong';
    return response(`[[ ## answer ## ]]\n${answer}\n\n[[ ## completed ## ]]`);
  }
}

/** A reflection LM that replies with the given instructions in order (fenced), then repeats the last. */
export class QueueLM implements LanguageModel {
  readonly model = 'reflection-queue';
  readonly prompts: string[] = [];
  calls = 0;

  constructor(private readonly texts: readonly string[]) {}

  async call(messages: ChatMessage[]): Promise<LMResponse> {
    this.calls++;
    this.prompts.push(messages.map((m) => m.content).join('\n'));
    const text = this.texts[Math.min(this.calls - 1, this.texts.length - 1)];
    return response(`\`\`\`\n${text}\n\`\`\``);
  }
}

/** One predictor answering the question. */
export function single(instruction = 'Answer.'): Predict<any> {
  return new Predict(signature('question -> answer', instruction));
}

/**
 * Two components, both run on every question: `a`'s answer counts for the even-numbered questions, `b`'s
 * for the odd ones — so a child that improved only `a` and one that improved only `b` are each better on
 * their half, and their merge on both.
 */
export class EvenOdd extends Program {
  @Predictor() a: Predict<any>;
  @Predictor() b: Predict<any>;

  constructor(a = 'Answer A.', b = 'Answer B.') {
    super();
    this.a = new Predict(signature('question -> answer', a));
    this.b = new Predict(signature('question -> answer', b));
  }

  async forward({ question }: { question: string }) {
    const [even, odd] = [await this.a.forward({ question }), await this.b.forward({ question })];
    return Number(question.slice(1)) % 2 === 0 ? even : odd;
  }
}

export const metric = exactMatch('answer', { feedback: true });
