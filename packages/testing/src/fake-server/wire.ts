/**
 * OpenAI wire format as the fake server writes it: chat completions, stream chunks, embeddings, errors.
 */
import { createHash } from 'node:crypto';
import type { FakeError, FakeReply } from './types';

interface WireMessage {
  content?: unknown;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  return content === undefined || content === null ? '' : JSON.stringify(content);
}

/** Roughly 4 characters a token, as a real tokenizer would average on English. */
export function tokensOf(text: string): number {
  return Math.ceil(text.length / 4);
}

/** The OpenAI error body. */
export function errorBody(error: FakeError): { error: Record<string, unknown> } {
  return {
    error: {
      message: error.message,
      type: error.type ?? 'invalid_request_error',
      param: null,
      code: error.code ?? null,
    },
  };
}

/** Texts of each choice for a reply and `n`. */
export function choiceTexts(reply: FakeReply, n: number): string[] {
  const content = reply.content ?? (reply.chunks ? reply.chunks.join('') : '');
  if (Array.isArray(content)) return content;
  return Array.from({ length: n }, () => content);
}

function toolCallsOf(reply: FakeReply) {
  return reply.toolCalls?.map((call, index) => ({
    id: call.id ?? `call_${index}`,
    type: 'function' as const,
    function: {
      name: call.name,
      arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
    },
  }));
}

function usageOf(messages: WireMessage[], texts: string[], reply: FakeReply) {
  const prompt = reply.usage?.promptTokens ?? tokensOf(messages.map((m) => textOf(m.content)).join(''));
  const completion = reply.usage?.completionTokens ?? tokensOf(texts.join(''));
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: reply.usage?.cachedTokens ?? 0 },
  };
}

/** A complete `chat.completion` object. */
export function chatCompletion(
  id: number,
  model: string,
  messages: WireMessage[],
  reply: FakeReply,
  n: number,
) {
  const texts = choiceTexts(reply, n);
  const toolCalls = toolCallsOf(reply);
  return {
    id: `chatcmpl-fake-${id}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: texts.map((text, index) => ({
      index,
      message: {
        role: 'assistant',
        content: toolCalls && !text ? null : text,
        tool_calls: toolCalls,
        refusal: null,
      },
      finish_reason: reply.finishReason ?? (toolCalls ? 'tool_calls' : 'stop'),
      logprobs: null,
    })),
    usage: usageOf(messages, texts, reply),
  };
}

/** The `chat.completion.chunk` objects of a streamed answer (the usage chunk last, when asked for). */
export function chatChunks(
  id: number,
  model: string,
  messages: WireMessage[],
  reply: FakeReply,
  n: number,
  withUsage: boolean,
) {
  const texts = choiceTexts(reply, n);
  const toolCalls = toolCallsOf(reply);
  const base = {
    id: `chatcmpl-fake-${id}`,
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model,
  };
  const chunks: unknown[] = [];
  texts.forEach((text, index) => {
    chunks.push({
      ...base,
      choices: [{ index, delta: { role: 'assistant', content: '' }, finish_reason: null }],
    });
    const pieces = reply.chunks && index === 0 ? reply.chunks : (text.match(/\S+\s*|\s+/g) ?? []);
    for (const piece of pieces) {
      chunks.push({ ...base, choices: [{ index, delta: { content: piece }, finish_reason: null }] });
    }
    if (toolCalls) {
      const delta = { tool_calls: toolCalls.map((call, at) => ({ index: at, ...call })) };
      chunks.push({ ...base, choices: [{ index, delta, finish_reason: null }] });
    }
    const finish = reply.finishReason ?? (toolCalls ? 'tool_calls' : 'stop');
    chunks.push({ ...base, choices: [{ index, delta: {}, finish_reason: finish }] });
  });
  if (withUsage) chunks.push({ ...base, choices: [], usage: usageOf(messages, texts, reply) });
  return chunks;
}

/** A deterministic unit vector for a text. */
export function defaultEmbedding(text: string, model: string, dimensions: number): number[] {
  const vector: number[] = [];
  for (let block = 0; vector.length < dimensions; block++) {
    const digest = createHash('sha256').update(`${model}\u0000${block}\u0000${text}`).digest();
    for (const byte of digest) if (vector.length < dimensions) vector.push(byte / 127.5 - 1);
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}

/** Float32 little-endian base64, as OpenAI answers `encoding_format: 'base64'`. */
export function base64Embedding(vector: number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}
