import type * as OpenTelemetryAPI from '@opentelemetry/api';
import type { Span, Tracer, TracerProvider } from '@opentelemetry/api';
import { redactSecrets } from '../lm/secrets';
import { SIGIL_VERSION } from '../version';
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

/**
 * Runs `fn` inside an OpenTelemetry span named `sigil.<kind> <name>` (when a provider is registered) and
 * tells the configured callbacks when it starts and ends. With neither, it just runs `fn`.
 * @example await instrument('module', 'Retriever', { query }, () => search(query));
 */
export function instrument<T>(
  kind: CallEvent['kind'],
  name: string,
  inputs: unknown,
  fn: () => Promise<T>,
): Promise<T> {
  const { callbacks, tags } = settings();
  const listeners = callbacks !== undefined && callbacks.length > 0 ? callbacks : undefined;
  const tracer = activeTracer();
  if (!listeners && !tracer) return fn();
  const event: CallEvent | undefined = listeners ? { kind, name, inputs, tags } : undefined;
  if (event) notify(listeners!, (c) => c.onStart?.(event));
  const started = event ? performance.now() : 0;
  const run = async (span?: Span): Promise<T> => {
    if (span) describeSpan(span, kind, name, tags);
    try {
      const output = await fn();
      if (span && kind === 'lm') describeUsage(span, output);
      if (event)
        notify(listeners!, (c) => c.onEnd?.(event, { output, durationMs: performance.now() - started }));
      return output;
    } catch (error) {
      if (span) recordFailure(span, error);
      if (event)
        notify(listeners!, (c) => c.onEnd?.(event, { error, durationMs: performance.now() - started }));
      throw error;
    } finally {
      span?.end();
    }
  };
  return tracer ? tracer.startActiveSpan(`sigil.${kind} ${name}`, run) : run();
}

/** Marks a span failed with the error's name, message and stack, secrets redacted. */
function recordFailure(span: Span, error: unknown): void {
  const message = redactSecrets(error instanceof Error ? error.message : String(error));
  span.setStatus({ code: otel!.SpanStatusCode.ERROR, message });
  if (error instanceof Error) {
    const stack = error.stack === undefined ? undefined : redactSecrets(error.stack);
    span.recordException({ name: error.name, message, stack });
  }
}

function describeSpan(
  span: Span,
  kind: CallEvent['kind'],
  name: string,
  tags: Readonly<Record<string, string>> | undefined,
): void {
  span.setAttribute('sigil.kind', kind);
  if (kind === 'lm') span.setAttribute('gen_ai.request.model', name);
  if (tags) for (const [k, v] of Object.entries(tags)) span.setAttribute(`sigil.tag.${k}`, v);
}

// Token counts in the OpenTelemetry GenAI semantic-convention names.
function describeUsage(span: Span, output: unknown): void {
  const response = output as {
    usage?: { promptTokens?: number; completionTokens?: number };
    cached?: boolean;
  };
  if (response?.usage?.promptTokens !== undefined) {
    span.setAttribute('gen_ai.usage.input_tokens', response.usage.promptTokens);
    span.setAttribute('gen_ai.usage.output_tokens', response.usage.completionTokens ?? 0);
  }
  if (response?.cached !== undefined) span.setAttribute('sigil.cached', response.cached);
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
 * Tells the configured callbacks about a synchronous step (an adapter's format or parse); no span, as
 * these take microseconds. Without callbacks it just runs `fn`.
 */
export function observeSync<T>(kind: CallEvent['kind'], name: string, inputs: unknown, fn: () => T): T {
  const { callbacks, tags } = settings();
  if (!callbacks || callbacks.length === 0) return fn();
  const event: CallEvent = { kind, name, inputs, tags };
  notify(callbacks, (c) => c.onStart?.(event));
  const started = performance.now();
  try {
    const output = fn();
    notify(callbacks, (c) => c.onEnd?.(event, { output, durationMs: performance.now() - started }));
    return output;
  } catch (error) {
    notify(callbacks, (c) => c.onEnd?.(event, { error, durationMs: performance.now() - started }));
    throw error;
  }
}
