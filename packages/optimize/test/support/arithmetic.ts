import {
  type CallOptions,
  type ChatMessage,
  Evaluate,
  Example,
  type LanguageModel,
  type LMResponse,
  type Metric,
  type Module,
  Predict,
  Predictor,
  Program,
  seededRandom,
  signature,
} from '@sigil/core';
import { contentText } from '@sigil/core';

/**
 * A deterministic scripted task: "What is a + b?". The LM answers correctly with a probability that rises
 * with the number of demos in the prompt, drawn from a generator seeded by the request itself, so the
 * same prompt always gets the same answer and better demo sets measurably help.
 */
export const ACCURACY_BY_DEMOS = [0.15, 0.4, 0.7, 0.85, 0.97];

export function arithmeticExamples(
  count: number,
  offset = 0,
): Example<{ question: string; answer: string }, 'question'>[] {
  return Array.from({ length: count }, (_, i) => {
    const a = ((i + offset) * 7 + 3) % 50;
    const b = ((i + offset) * 13 + 5) % 50;
    return Example.from({ question: `What is ${a} + ${b}?`, answer: String(a + b) }).withInputs('question');
  });
}

export const exact: Metric = (example, prediction) => String(prediction.answer).trim() === example.answer;

export interface CallRecord {
  messages: ChatMessage[];
  options?: CallOptions;
}

/** The scripted LM of the task. `cache: true` answers repeated requests from memory, marked cached. */
export class DemoSensitiveLM implements LanguageModel {
  readonly model = 'scripted/demo-sensitive';
  calls = 0;
  readonly log: CallRecord[] = [];
  private readonly memory = new Map<string, string>();

  constructor(private readonly options: { cache?: boolean; cost?: number } = {}) {}

  async call(messages: ChatMessage[], options?: CallOptions): Promise<LMResponse> {
    this.calls++;
    this.log.push({ messages, options });
    await new Promise((resolve) => setImmediate(resolve));
    const key = JSON.stringify([messages, options?.rolloutId ?? null, options?.temperature ?? null]);
    const remembered = this.options.cache ? this.memory.get(key) : undefined;
    const text = remembered ?? reply(messages, key);
    if (this.options.cache) this.memory.set(key, text);
    const tokens = Math.ceil(key.length / 4);
    return {
      completions: [{ text, finishReason: 'stop' }],
      usage: { promptTokens: tokens, completionTokens: 5, cachedTokens: 0, totalTokens: tokens + 5 },
      cost: remembered ? 0 : (this.options.cost ?? 0.001),
      model: this.model,
      cached: remembered !== undefined,
      durationMs: 0,
    };
  }
}

function reply(messages: ChatMessage[], key: string): string {
  const system = contentText(messages[0].content);
  const output = /Your output fields are:\n1\. `(\w+)`/.exec(system)?.[1] ?? 'answer';
  const last = contentText(messages[messages.length - 1].content);
  const [, a, b] = /(\d+) \+ (\d+)/.exec(last) ?? ['', '0', '0'];
  if (output === 'query') return `[[ ## query ## ]]\nCompute ${a} + ${b}\n\n[[ ## completed ## ]]\n`;
  const demos = messages.filter((m) => m.role === 'assistant').length;
  const random = seededRandom(key);
  const correct = random() < ACCURACY_BY_DEMOS[Math.min(demos, ACCURACY_BY_DEMOS.length - 1)];
  const sum = Number(a) + Number(b);
  const answer = correct ? sum : sum + 1 + Math.floor(random() * 5);
  return `[[ ## answer ## ]]\n${answer}\n\n[[ ## completed ## ]]\n`;
}

/** The single-predictor program. */
export function questionAnswerer(): Predict {
  return new Predict(signature('question -> answer'));
}

/** A two-predictor program: rewrite the question into a query, then answer the query. */
export class RewriteThenAnswer extends Program<{ question: string }, any> {
  @Predictor() rewrite = new Predict(signature('question -> query'));
  @Predictor() respond = new Predict(signature('query -> answer'));

  async forward({ question }: { question: string }) {
    const { query } = await this.rewrite.forward({ question });
    return this.respond.forward({ query });
  }
}

/** The valset score (percent) of `program`. */
export async function scoreOn(program: Module, devset: readonly Example<any, any>[]): Promise<number> {
  const report = await new Evaluate({ devset, metric: exact, progress: false }).run(program);
  return report.score;
}
