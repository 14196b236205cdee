import type * as OpenTelemetryAPI from '@opentelemetry/api';
import type { Attributes, Span, Tracer, TracerProvider } from '@opentelemetry/api';
import { redactSecrets } from '../lm/secrets';
import type { ChatMessage, LMResponse } from '../lm/types';
import { SIGIL_VERSION } from '../version';
import { capturesContent, chatResultAttributes, describeChat, type SpanDescription } from './gen-ai';
import { type CallEvent, type Callback, type Settings, settings } from './settings';

export type { CallEvent, Callback } from './settings';

/**
 * Where @opentelemetry/api 1.x keeps what is registered (tracer provider, context manager …), shared by
 * every copy of the package in the process. Until a tracer provider appears there, the API (~10–20 ms to
 * load) is not required at all.
 */
const OTEL_GLOBAL = Symbol.for('opentelemetry.js.api.1');
let otel: typeof OpenTelemetryAPI | undefined;
// The API's own no-op provider: what the global proxy delegates to until a provider is registered.
let noopProvider: TracerProvider | undefined;
let seenProvider: unknown;
let sigilTracer: Tracer | undefined;

/** The OpenTelemetry API once a tracer provider has been registered in this process, else undefined. */
function openTelemetry(): typeof OpenTelemetryAPI | undefined {
  if (otel) return otel;
  const registered = (globalThis as { [OTEL_GLOBAL]?: { trace?: unknown } })[OTEL_GLOBAL];
  if (registered?.trace === undefined) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  otel = require('@opentelemetry/api') as typeof OpenTelemetryAPI;
  noopProvider = new otel.ProxyTracerProvider().getDelegate();
  return otel;
}

/**
 * Sigil's tracer when an OpenTelemetry provider is registered, else undefined. Re-checked on every call
 * (a property read and a comparison), so a provider registered or removed later is noticed; the tracer is
 * rebuilt only when the provider changes. Without a provider, modules skip span creation altogether.
 */
export function activeTracer(): Tracer | undefined {
  const api = openTelemetry();
  if (!api) return undefined;
  const global = api.trace.getTracerProvider() as TracerProvider & { getDelegate?: () => TracerProvider };
  const provider = typeof global.getDelegate === 'function' ? global.getDelegate() : global;
  if (provider !== seenProvider) {
    seenProvider = provider;
    const noop = provider === noopProvider || provider?.constructor?.name === 'NoopTracerProvider';
    sigilTracer = noop ? undefined : global.getTracer('sigil', SIGIL_VERSION);
  }
  return sigilTracer;
}

/** Whether a call made under `current` settings is observed: callbacks are configured or spans recorded. */
export function observing(current: Readonly<Settings> = settings()): boolean {
  return (current.callbacks !== undefined && current.callbacks.length > 0) || activeTracer() !== undefined;
}

/** How a call's span is named and described (OpenTelemetry GenAI conventions), when one is recorded. */
export interface SpanInfo {
  /** The span's name and its attributes known before the call (default `sigil.<kind> <name>`). */
  describe?(content: boolean): SpanDescription;
  /** Attributes of the call's result. */
  result?(output: unknown, content: boolean): Attributes;
}

/**
 * Runs `fn` inside an OpenTelemetry span (when a provider is registered) and tells the configured
 * callbacks when it starts and ends. With neither, it just runs `fn`. LM calls are `chat <model>` spans with
 * the GenAI semantic-convention attributes (`gen_ai.operation.name`, `gen_ai.request.model`, token usage…);
 * prompt text only when content capture is on.
 * @example await instrument('module', 'Retriever', { query }, () => search(query));
 */
export function instrument<T>(
  kind: CallEvent['kind'],
  name: string,
  inputs: unknown,
  fn: () => Promise<T>,
  info?: SpanInfo,
): Promise<T> {
  const current = settings();
  const { callbacks, tags } = current;
  const listeners = callbacks !== undefined && callbacks.length > 0 ? callbacks : undefined;
  const tracer = activeTracer();
  if (!listeners && !tracer) return fn();
  const event: CallEvent | undefined = listeners ? { kind, name, inputs, tags } : undefined;
  if (event) notify(listeners!, (c) => c.onStart?.(event));
  const started = event ? performance.now() : 0;
  const content = tracer ? capturesContent(current) : false;
  const described = tracer ? describe(kind, name, inputs, info, content) : undefined;
  const run = async (span?: Span): Promise<T> => {
    if (span) {
      span.setAttribute('sigil.kind', kind);
      span.setAttributes(described!.attributes);
      if (tags) for (const [k, v] of Object.entries(tags)) span.setAttribute(`sigil.tag.${k}`, v);
    }
    try {
      const output = await fn();
      if (span) {
        const result = info?.result ?? (kind === 'lm' ? lmResult : undefined);
        if (result) span.setAttributes(result(output, content));
      }
      if (event)
        notify(listeners!, (c) => c.onEnd?.(event, { output, durationMs: performance.now() - started }));
      return output;
    } catch (error) {
      if (span) failSpan(span, error);
      if (event)
        notify(listeners!, (c) => c.onEnd?.(event, { error, durationMs: performance.now() - started }));
      throw error;
    } finally {
      span?.end();
    }
  };
  return tracer ? tracer.startActiveSpan(described!.name, run) : run();
}

function describe(
  kind: CallEvent['kind'],
  name: string,
  inputs: unknown,
  info: SpanInfo | undefined,
  content: boolean,
): SpanDescription {
  if (info?.describe) return info.describe(content);
  if (kind === 'lm') {
    const { messages, options } = (inputs ?? {}) as { messages?: ChatMessage[]; options?: object };
    return describeChat(name, options ?? {}, undefined, messages, content);
  }
  return { name: `sigil.${kind} ${name}`, attributes: {} };
}

const lmResult = (output: unknown, content: boolean) => chatResultAttributes(output as LMResponse, content);

/**
 * Marks a span failed: status and exception (name, message and stack, secrets redacted), and the GenAI
 * `error.type` (Sigil's code, else the class).
 */
function failSpan(span: Span, error: unknown): void {
  const message = redactSecrets(error instanceof Error ? error.message : String(error));
  span.setStatus({ code: otel!.SpanStatusCode.ERROR, message });
  const code = (error as { code?: unknown })?.code;
  span.setAttribute(
    'error.type',
    typeof code === 'string' ? code : ((error as Error)?.constructor?.name ?? 'Error'),
  );
  if (error instanceof Error) {
    const stack = error.stack === undefined ? undefined : redactSecrets(error.stack);
    span.recordException({ name: error.name, message, stack });
  }
}

function notify(callbacks: readonly Callback[], call: (c: Callback) => void): void {
  for (const c of callbacks) {
    try {
      call(c);
    } catch {
      // A failing callback must not break the program it observes.
    }
  }
}

/**
 * Runs a synchronous step (an adapter's format or parse) in a span `sigil.adapter <name>` when a tracer
 * provider is registered, and tells the configured callbacks about it. With neither it just runs `fn`.
 */
export function observeSync<T>(
  kind: CallEvent['kind'],
  name: string,
  inputs: unknown,
  fn: () => T,
  attributes?: Attributes,
): T {
  const { callbacks, tags } = settings();
  const tracer = activeTracer();
  const listeners = callbacks !== undefined && callbacks.length > 0 ? callbacks : undefined;
  if (!listeners && !tracer) return fn();
  const event: CallEvent = { kind, name, inputs, tags };
  if (listeners) notify(listeners, (c) => c.onStart?.(event));
  const started = performance.now();
  const run = (span?: Span): T => {
    if (span) {
      span.setAttribute('sigil.kind', kind);
      if (attributes) span.setAttributes(attributes);
      if (tags) for (const [k, v] of Object.entries(tags)) span.setAttribute(`sigil.tag.${k}`, v);
    }
    try {
      const output = fn();
      if (listeners)
        notify(listeners, (c) => c.onEnd?.(event, { output, durationMs: performance.now() - started }));
      return output;
    } catch (error) {
      if (span) failSpan(span, error);
      if (listeners)
        notify(listeners, (c) => c.onEnd?.(event, { error, durationMs: performance.now() - started }));
      throw error;
    } finally {
      span?.end();
    }
  };
  return tracer ? tracer.startActiveSpan(`sigil.${kind} ${name}`, run) : run();
}
