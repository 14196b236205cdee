/**
 * OpenTelemetry GenAI semantic conventions (https://opentelemetry.io/docs/specs/semconv/gen-ai/) for the
 * spans Sigil emits: which operation a span is, what was asked of the model and what it used. Prompt and
 * reply text are recorded only when the user opts in (`configure({ telemetry: { captureContent: true } })`
 * or `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true`).
 */
import type { Attributes } from '@opentelemetry/api';
import type { CallOptions, ChatMessage, ContentPart, LMResponse } from '../lm/types';
import type { Settings } from './settings';

/** What a span is, in GenAI terms, and the attributes known before it runs. */
export interface SpanDescription {
  /** The span's name (`chat gpt-4o-mini`, `execute_tool search`, `invoke_agent RAG`). */
  name: string;
  attributes: Attributes;
}

/** Whether prompt and reply text may go into spans. */
export function capturesContent(current: Readonly<Settings>): boolean {
  if (current.telemetry?.captureContent !== undefined) return current.telemetry.captureContent;
  return /^(true|1)$/i.test(process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT ?? '');
}

/** The provider of a LiteLLM-style model name (`anthropic/claude…` → `anthropic`), `openai` otherwise. */
export function providerOf(model: string): string {
  const slash = model.indexOf('/');
  return slash > 0 ? model.slice(0, slash) : 'openai';
}

/** A chat call: `chat <model>`, with the request parameters as GenAI attributes. */
export function describeChat(
  model: string,
  options: Partial<CallOptions>,
  endpoint: string | undefined,
  messages: readonly ChatMessage[] | undefined,
  content: boolean,
): SpanDescription {
  const attributes: Attributes = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': providerOf(model),
    'gen_ai.request.model': model,
    'gen_ai.output.type': options.responseFormat ? 'json' : 'text',
  };
  const set = (key: string, value: unknown) => {
    if (typeof value === 'number' || typeof value === 'string') attributes[key] = value;
  };
  set('gen_ai.request.temperature', options.temperature);
  set('gen_ai.request.max_tokens', options.maxTokens);
  set('gen_ai.request.top_p', options.topP);
  set('gen_ai.request.seed', options.seed);
  if (options.n !== undefined && options.n !== 1) attributes['gen_ai.request.choice.count'] = options.n;
  if (options.stop !== undefined)
    attributes['gen_ai.request.stop_sequences'] = Array.isArray(options.stop) ? options.stop : [options.stop];
  if (endpoint) {
    try {
      const url = new URL(endpoint);
      attributes['server.address'] = url.hostname;
      attributes['server.port'] = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    } catch {
      // Not a URL: no server attributes.
    }
  }
  if (content && messages) {
    const system = messages.filter((m) => m.role === 'system');
    const rest = messages.filter((m) => m.role !== 'system');
    if (system.length > 0)
      attributes['gen_ai.system_instructions'] = JSON.stringify(system.flatMap((m) => partsOf(m.content)));
    attributes['gen_ai.input.messages'] = JSON.stringify(
      rest.map((m) => ({ role: m.role, parts: partsOf(m.content) })),
    );
  }
  return { name: `chat ${model}`, attributes };
}

/** What the model answered: response model, finish reasons, token usage (and the text when opted in). */
export function chatResultAttributes(response: LMResponse | undefined, content: boolean): Attributes {
  const attributes: Attributes = {};
  if (!response || typeof response !== 'object' || !Array.isArray(response.completions)) return attributes;
  if (response.model) attributes['gen_ai.response.model'] = response.model;
  if (response.usage) {
    attributes['gen_ai.usage.input_tokens'] = response.usage.promptTokens;
    attributes['gen_ai.usage.output_tokens'] = response.usage.completionTokens;
    if (response.usage.cachedTokens)
      attributes['gen_ai.usage.cache_read.input_tokens'] = response.usage.cachedTokens;
  }
  attributes['gen_ai.response.finish_reasons'] = response.completions.map((c) => c.finishReason ?? 'unknown');
  if (response.cached !== undefined) attributes['sigil.cached'] = response.cached;
  if (typeof response.cost === 'number') attributes['sigil.cost_usd'] = response.cost;
  if (content) {
    attributes['gen_ai.output.messages'] = JSON.stringify(
      response.completions.map((c) => ({
        role: 'assistant',
        parts: [{ type: 'text', content: c.text }],
        finish_reason: c.finishReason ?? 'unknown',
      })),
    );
  }
  return attributes;
}

/** A tool call: `execute_tool <name>` (its arguments and result only when opted in). */
export function describeTool(name: string, args: unknown, content: boolean): SpanDescription {
  const attributes: Attributes = {
    'gen_ai.operation.name': 'execute_tool',
    'gen_ai.tool.name': name,
    'gen_ai.tool.type': 'function',
  };
  if (content) attributes['gen_ai.tool.call.arguments'] = safeJson(args);
  return { name: `execute_tool ${name}`, attributes };
}

/** A user program: `invoke_agent <Program>`, as GenAI calls an application's own composition. */
export function describeAgent(name: string): SpanDescription {
  return {
    name: `invoke_agent ${name}`,
    attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': name },
  };
}

/** Message content as GenAI parts: text, image URLs, and images sent inline (their bytes left out). */
function partsOf(content: string | readonly ContentPart[] | null): unknown[] {
  if (typeof content === 'string') return [{ type: 'text', content }];
  if (content === null) return [];
  return content.map((part) => {
    if (part.type === 'text') return { type: 'text', content: part.text };
    const url = part.image_url.url;
    if (url.startsWith('data:'))
      return { type: 'blob', modality: 'image', mime_type: url.slice(5).split(/[;,]/)[0] };
    return { type: 'uri', modality: 'image', uri: url };
  });
}

/** JSON of a value for a span attribute (`String()` of what JSON cannot hold). */
export function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
