/**
 * The contract between Sigil and any language model. The LM layer knows nothing of signatures:
 * it moves chat messages to an endpoint and completions back.
 */

/** Who wrote a chat message. */
export type ChatRole = 'system' | 'user' | 'assistant' | 'tool';

/** A function call the model asked for (OpenAI shape). */
export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** A text part of a multi-part message (OpenAI's `{ type: 'text', text }`). */
export interface TextPart {
  type: 'text';
  text: string;
}

/** An image part of a multi-part user message (OpenAI's `image_url`): an http(s) URL or a data URI. */
export interface ImagePart {
  type: 'image_url';
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' };
}

/**
 * One part of a multi-part message, in OpenAI's wire shape. Adapters send a list of parts only where a
 * custom type (an `Image`) sits in a user message, exactly where DSPy does; text-only messages stay strings.
 */
export type ContentPart = TextPart | ImagePart;

/** One chat message, in OpenAI's field names. */
export interface ChatMessage {
  role: ChatRole;
  /** The text, or (a user message holding images) a list of parts; null for an assistant turn of only tool calls. */
  content: string | ContentPart[] | null;
  name?: string;
  tool_call_id?: string;
  tool_calls?: ToolCall[];
}

/** Token counts of one call (or summed over many). */
export interface Usage {
  promptTokens: number;
  completionTokens: number;
  /** Prompt tokens the provider served from its own prompt cache. */
  cachedTokens: number;
  totalTokens: number;
}

/** One sampled answer. */
export interface Completion {
  text: string;
  finishReason: string | null;
  toolCalls?: ToolCall[];
}

/** What a call returns. */
export interface LMResponse {
  /** One per requested sample (`n`). */
  completions: Completion[];
  usage: Usage;
  /** In US dollars; 0 when the price is unknown. */
  cost: number;
  /** The model name as sent to the endpoint. */
  model: string;
  /** True when the answer came from Sigil's cache (no tokens were paid for it). */
  cached: boolean;
  durationMs: number;
}

/** Scheduling priority: interactive calls go before optimizer bulk work. Lower numbers run first. */
export type Priority = 'interactive' | 'normal' | 'bulk' | number;

/** Per-call options; everything but `signal`, `timeoutMs`, `deadlineMs`, `priority` and `cache` is part of the cache key. */
export interface CallOptions {
  temperature?: number;
  maxTokens?: number;
  n?: number;
  stop?: string | string[];
  seed?: number;
  topP?: number;
  /** Passed through as the request's `response_format` (JSONAdapter sets it). */
  responseFormat?: Record<string, unknown>;
  /** OpenAI tool definitions, passed through. */
  tools?: unknown[];
  toolChoice?: unknown;
  /** Any further body parameters, sent as they are. */
  extraBody?: Record<string, unknown>;
  signal?: AbortSignal;
  /** Limit on each attempt, in ms (default 120 s); a timed-out attempt is retried. */
  timeoutMs?: number;
  /**
   * Limit on the whole call, in ms from its start (default none): a retry wait (backoff or Retry-After)
   * that would end past it fails the call at once with the last error.
   */
  deadlineMs?: number;
  /** Asks for a fresh sample of an otherwise identical request (part of the cache key), as in DSPy. */
  rolloutId?: number | string;
  priority?: Priority;
  /** Per-call cache switch; the LM's cache mode applies when unset. */
  cache?: boolean;
}

/** One event of a streamed call: a text delta of choice `index`, then the complete response. */
export type LMStreamEvent =
  { type: 'delta'; index: number; text: string } | { type: 'done'; response: LMResponse };

/**
 * Anything Sigil can send chat messages to: the OpenAI-compatible `LM`, `ScriptedLM` in tests, an LM seen
 * through middlewares (`wrapLM`). `stream` is optional: an LM without it is streamed as one delta per choice.
 */
export interface LanguageModel {
  readonly model: string;
  /** Whether `response_format: { type: 'json_schema' }` is understood by the endpoint. */
  readonly supportsStructuredOutputs?: boolean;
  /** Whether the endpoint understands `tools` and answers with `tool_calls` (assumed unless false). */
  readonly supportsFunctionCalling?: boolean;
  /** Sends the messages and resolves to the completions, usage and cost. */
  call(messages: ChatMessage[], options?: CallOptions): Promise<LMResponse>;
  /** Streams a call: text deltas as they arrive, then the full response. */
  stream?(messages: ChatMessage[], options?: CallOptions): AsyncIterable<LMStreamEvent>;
  /**
   * Drops a response it returned from its cache, so the same request asks the endpoint again next time:
   * a predictor calls it for a reply it could not use (unparsable, breaking the constraints).
   */
  forget?(response: LMResponse): Promise<void>;
}

/**
 * The text of a message's content: the string itself, or its text parts joined (images left out).
 * @example contentText(messages.at(-1)!.content).includes('[[ ## question ## ]]')
 */
export function contentText(content: string | readonly ContentPart[] | null): string {
  if (typeof content === 'string') return content;
  if (content === null) return '';
  let text = '';
  for (const part of content) if (part.type === 'text') text += part.text;
  return text;
}

/** Zero usage, to sum into. */
export function emptyUsage(): Usage {
  return { promptTokens: 0, completionTokens: 0, cachedTokens: 0, totalTokens: 0 };
}

/** Adds `more` into `into` (mutating it) and returns it. */
export function addUsage(into: Usage, more: Usage): Usage {
  into.promptTokens += more.promptTokens;
  into.completionTokens += more.completionTokens;
  into.cachedTokens += more.cachedTokens;
  into.totalTokens += more.totalTokens;
  return into;
}
