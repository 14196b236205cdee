/**
 * `ScriptedLM`: an in-process language model that answers from a script — DSPy's DummyLM for Sigil.
 * Unit tests of modules, adapters and optimizers use it; nothing leaves the process.
 */
import { SigilError, type SigilErrorOptions } from '@sigil/core';
import type { CallOptions, ChatMessage, LanguageModel, LMResponse, Usage } from '@sigil/core';
import { addUsage, type Completion, contentText, emptyUsage } from '@sigil/core/internal';
import { type FieldValues, formatFieldReply, replyFormatOf } from './field-reply';

/** Full completions (tool calls, finish reasons), with the usage to report. */
export interface ScriptedCompletions {
  completions: Completion[];
  usage?: Partial<Usage>;
}

/**
 * A scripted answer: a reply text; output field values (`{ answer: 'Paris' }`), written in the format
 * of the adapter the request used; a list of either, one per sample (`n`); or full completions.
 */
export type ScriptedAnswer = string | FieldValues | (string | FieldValues)[] | ScriptedCompletions;

/** Computes the answer to a call; `callIndex` counts from 0. */
export type ScriptFunction = (
  messages: ChatMessage[],
  options: CallOptions,
  callIndex: number,
) => ScriptedAnswer | Promise<ScriptedAnswer>;

/** Settings of a ScriptedLM. */
export interface ScriptedLMOptions {
  /** Reported as `model` (default `'scripted'`). */
  model?: string;
  /** Start over when a list script runs out (default false: running out throws). */
  cycle?: boolean;
  /** Usage reported per call: fixed numbers, or a function (default: characters / 4, rounded up). */
  usage?: Partial<Usage> | ((messages: ChatMessage[], completions: Completion[]) => Partial<Usage>);
  /** Dollars reported per call (default 0). */
  costPerCall?: number;
  /** Default true. */
  supportsStructuredOutputs?: boolean;
  /** Simulated latency per call, in ms (default 0). */
  latencyMs?: number;
}

/** One call the ScriptedLM received. */
export interface ScriptedCall {
  messages: ChatMessage[];
  options: CallOptions;
}

/** Thrown when a list script has no answers left. Code `SCRIPT_EXHAUSTED`. */
export class ScriptExhaustedError extends SigilError {
  static override readonly code: string = 'SCRIPT_EXHAUSTED';
  readonly model: string;
  /** How many answers the script had. */
  readonly answered: number;

  constructor(message: string, details: SigilErrorOptions & { model: string; answered: number }) {
    super(message, details);
    this.model = details.model;
    this.answered = details.answered;
  }
}

function estimatedUsage(messages: ChatMessage[], completions: Completion[]): Usage {
  const promptTokens = Math.ceil(messages.reduce((sum, m) => sum + contentText(m.content).length, 0) / 4);
  const completionTokens = Math.ceil(completions.reduce((sum, c) => sum + c.text.length, 0) / 4);
  return { promptTokens, completionTokens, cachedTokens: 0, totalTokens: promptTokens + completionTokens };
}

/**
 * A language model that replies from a list (in order) or a function, recording every call. Answers are
 * reply texts or output field values, which it formats for the adapter of each request (ChatAdapter's
 * `[[ ## field ## ]]` blocks, or JSON for JSONAdapter), as DSPy's DummyLM does.
 * @example
 * const lm = new ScriptedLM([{ answer: 'Paris' }, { reasoning: 'It is 4.', answer: '4' }]);
 * const raw = new ScriptedLM(['[[ ## answer ## ]]\nParis\n\n[[ ## completed ## ]]']);
 * const echo = new ScriptedLM((messages) => ({ answer: contentText(messages.at(-1)!.content).length }));
 */
export class ScriptedLM implements LanguageModel {
  readonly model: string;
  readonly supportsStructuredOutputs: boolean;
  /** Every call received, in order. */
  readonly calls: ScriptedCall[] = [];
  private next = 0;
  private readonly totals = emptyUsage();

  constructor(
    private readonly script: ScriptedAnswer[] | ScriptFunction,
    private readonly options: ScriptedLMOptions = {},
  ) {
    this.model = options.model ?? 'scripted';
    this.supportsStructuredOutputs = options.supportsStructuredOutputs ?? true;
  }

  /** The most recent call, if any. */
  get lastCall(): ScriptedCall | undefined {
    return this.calls[this.calls.length - 1];
  }

  /** Answers from the script. */
  async call(messages: ChatMessage[], options: CallOptions = {}): Promise<LMResponse> {
    const started = performance.now();
    const callIndex = this.calls.length;
    this.calls.push({ messages, options });
    if (options.signal?.aborted) throw options.signal.reason;
    if (this.options.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
    const answer =
      typeof this.script === 'function' ? await this.script(messages, options, callIndex) : this.fromList();
    const completions = toCompletions(answer, options.n ?? 1, () => replyFormatOf(messages, options));
    const scriptedUsage = isCompletions(answer) ? answer.usage : undefined;
    const configured =
      typeof this.options.usage === 'function'
        ? this.options.usage(messages, completions)
        : this.options.usage;
    const merged = { ...estimatedUsage(messages, completions), ...configured, ...scriptedUsage };
    const totalTokens =
      scriptedUsage?.totalTokens ?? configured?.totalTokens ?? merged.promptTokens + merged.completionTokens;
    const usage: Usage = { ...merged, totalTokens };
    addUsage(this.totals, usage);
    return {
      completions,
      usage,
      cost: this.options.costPerCall ?? 0,
      model: this.model,
      cached: false,
      durationMs: performance.now() - started,
    };
  }

  /** Tokens reported so far, summed. */
  usage(): Usage {
    return { ...this.totals };
  }

  /** Forgets recorded calls and restarts a list script. */
  reset(): void {
    this.calls.length = 0;
    this.next = 0;
    Object.assign(this.totals, emptyUsage());
  }

  private fromList(): ScriptedAnswer {
    const list = this.script as ScriptedAnswer[];
    if (this.next >= list.length) {
      if (!this.options.cycle || list.length === 0) {
        throw new ScriptExhaustedError(
          `ScriptedLM "${this.model}": the script's ${list.length} answer(s) are used up — add more answers, ` +
            `pass { cycle: true }, or script with a function.`,
          { model: this.model, answered: list.length },
        );
      }
      this.next = 0;
    }
    return list[this.next++];
  }
}

/** `{ completions: [{ text, … }] }` (and at most `usage`): full completions, not field values. */
function isCompletions(answer: ScriptedAnswer): answer is ScriptedCompletions {
  if (typeof answer !== 'object' || Array.isArray(answer)) return false;
  const { completions } = answer as { completions?: unknown };
  return (
    Array.isArray(completions) &&
    completions.every((c) => typeof (c as { text?: unknown } | null)?.text === 'string') &&
    Object.keys(answer).every((key) => key === 'completions' || key === 'usage')
  );
}

function toCompletions(answer: ScriptedAnswer, n: number, format: () => 'chat' | 'json'): Completion[] {
  const text = (one: string | FieldValues) =>
    typeof one === 'string' ? one : formatFieldReply(one, format());
  if (isCompletions(answer)) return answer.completions;
  if (Array.isArray(answer)) return answer.map((one) => ({ text: text(one), finishReason: 'stop' }));
  const reply = text(answer);
  return Array.from({ length: n }, () => ({ text: reply, finishReason: 'stop' }));
}
