import { createHash } from 'node:crypto';
import type { CallOptions, ChatMessage, LanguageModel, LMResponse } from '@sigil/core';
import { contentText } from '@sigil/core';
import { OptimizerError } from '@sigil/optimize';

/** The key of a request: its exact messages (and the options that change the reply). */
export function requestKey(messages: readonly ChatMessage[], options: CallOptions = {}): string {
  const relevant = {
    messages,
    rolloutId: options.rolloutId ?? null,
    temperature: options.temperature ?? null,
  };
  return createHash('sha256').update(JSON.stringify(relevant)).digest('hex').slice(0, 32);
}

function response(text: string, model: string): LMResponse {
  return {
    completions: [{ text, finishReason: 'stop' }],
    usage: { promptTokens: 1, completionTokens: 1, cachedTokens: 0, totalTokens: 2 },
    cost: 0,
    model,
    cached: false,
    durationMs: 0,
  };
}

/** Wraps an LM and records every reply by request key. */
export class RecordingLM implements LanguageModel {
  readonly replies: Record<string, string> = {};
  calls = 0;
  constructor(private readonly recorded: LanguageModel) {}
  get model(): string {
    return this.recorded.model;
  }
  async call(messages: ChatMessage[], options: CallOptions = {}): Promise<LMResponse> {
    this.calls++;
    const reply = await this.recorded.call(messages, options);
    this.replies[requestKey(messages, options)] = reply.completions[0]?.text ?? '';
    return reply;
  }
}

/**
 * Answers from recorded replies only. A miss is a change in a prompt (template, JSON key order) or in
 * the run's decisions (RNG): a parity or determinism bug to explain, never to re-record silently.
 */
export class ReplayLM implements LanguageModel {
  calls = 0;
  constructor(
    readonly model: string,
    private readonly replies: Readonly<Record<string, string>>,
  ) {}
  async call(messages: ChatMessage[], options: CallOptions = {}): Promise<LMResponse> {
    this.calls++;
    const key = requestKey(messages, options);
    const reply = this.replies[key];
    if (reply === undefined) {
      throw new OptimizerError(
        `Replay miss on call ${this.calls} (request ${key}): this prompt was never recorded. Something that ` +
          `shapes prompts or decisions changed — explain it before re-recording. First message:\n` +
          messages.map((m) => `${m.role}: ${contentText(m.content).slice(0, 400)}`).join('\n'),
      );
    }
    return response(reply, this.model);
  }
}
