/**
 * Sigil's call options to OpenAI request parameters, and OpenAI responses back to Sigil's types.
 */
import {
  type CallOptions,
  type ChatMessage,
  type Completion,
  contentText,
  type ToolCall,
  type Usage,
} from './types';

// OpenAI's reasoning models reject `max_tokens` and take `max_completion_tokens` instead.
const REASONING_MODEL = /^(o\d|gpt-5)/;

/**
 * The body parameters (everything but model and messages) a call sends; also the part of the cache key
 * that is not the messages. `undefined` members are dropped when serialised.
 */
export function wireParameters(wireModel: string, options: CallOptions): Record<string, unknown> {
  const maxTokensField = REASONING_MODEL.test(wireModel) ? 'max_completion_tokens' : 'max_tokens';
  return {
    temperature: options.temperature,
    [maxTokensField]: options.maxTokens,
    n: options.n,
    stop: options.stop,
    seed: options.seed,
    top_p: options.topP,
    response_format: options.responseFormat,
    tools: options.tools,
    tool_choice: options.toolChoice,
    ...options.extraBody,
  };
}

/** A rough token count (4 characters a token) for tokens-per-minute budgeting before the real count is known. */
export function estimateTokens(messages: ChatMessage[], options: CallOptions): number {
  let characters = 0;
  for (const message of messages) characters += contentText(message.content).length;
  return Math.ceil(characters / 4) + (options.maxTokens ?? 0) * (options.n ?? 1);
}

/** OpenAI's `usage` object. */
export interface WireUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
}

/** Sigil usage from OpenAI's `usage` object (zeros when absent). */
export function usageFromWire(usage: WireUsage | null | undefined): Usage {
  const promptTokens = usage?.prompt_tokens ?? 0;
  const completionTokens = usage?.completion_tokens ?? 0;
  return {
    promptTokens,
    completionTokens,
    cachedTokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
    totalTokens: usage?.total_tokens ?? promptTokens + completionTokens,
  };
}

/** One choice of a chat completion, as sent. */
export interface WireChoice {
  index: number;
  finish_reason: string | null;
  message: { content?: string | null; tool_calls?: unknown[] | null };
}

function toolCallsFromWire(calls: unknown[] | null | undefined): ToolCall[] | undefined {
  if (!calls || calls.length === 0) return undefined;
  return calls.map((raw) => {
    const call = raw as { id?: string; function?: { name?: string; arguments?: string } };
    return {
      id: call.id ?? '',
      type: 'function',
      function: { name: call.function?.name ?? '', arguments: call.function?.arguments ?? '' },
    };
  });
}

/** Completions from OpenAI's `choices`, in choice order. */
export function completionsFromWire(choices: WireChoice[]): Completion[] {
  const ordered = choices.length > 1 ? [...choices].sort((a, b) => a.index - b.index) : choices;
  return ordered.map((choice) => {
    const completion: Completion = {
      text: choice.message.content ?? '',
      finishReason: choice.finish_reason,
    };
    const toolCalls = toolCallsFromWire(choice.message.tool_calls);
    if (toolCalls) completion.toolCalls = toolCalls;
    return completion;
  });
}

interface StreamChoiceDelta {
  index: number;
  finish_reason?: string | null;
  delta?: {
    content?: string | null;
    tool_calls?: { index: number; id?: string; function?: { name?: string; arguments?: string } }[];
  };
}

/** Collects streamed chunks into completions. */
export class StreamAccumulator {
  private readonly choices = new Map<
    number,
    { text: string; finishReason: string | null; tools: ToolCall[] }
  >();
  usage?: Usage;

  /** Adds one chunk; returns its text deltas by choice index. */
  add(chunk: { choices?: StreamChoiceDelta[]; usage?: WireUsage | null }): { index: number; text: string }[] {
    if (chunk.usage) this.usage = usageFromWire(chunk.usage);
    const deltas: { index: number; text: string }[] = [];
    for (const choice of chunk.choices ?? []) {
      let state = this.choices.get(choice.index);
      if (!state) {
        state = { text: '', finishReason: null, tools: [] };
        this.choices.set(choice.index, state);
      }
      const text = choice.delta?.content;
      if (text) {
        state.text += text;
        deltas.push({ index: choice.index, text });
      }
      for (const part of choice.delta?.tool_calls ?? []) {
        const call = (state.tools[part.index] ??= {
          id: '',
          type: 'function',
          function: { name: '', arguments: '' },
        });
        if (part.id) call.id = part.id;
        if (part.function?.name) call.function.name += part.function.name;
        if (part.function?.arguments) call.function.arguments += part.function.arguments;
      }
      if (choice.finish_reason) state.finishReason = choice.finish_reason;
    }
    return deltas;
  }

  completions(): Completion[] {
    return [...this.choices.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, state]) => {
        const completion: Completion = { text: state.text, finishReason: state.finishReason };
        const tools = state.tools.filter(Boolean);
        if (tools.length > 0) completion.toolCalls = tools;
        return completion;
      });
  }
}
