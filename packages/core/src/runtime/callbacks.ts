import { type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import { settings } from './settings';

/** What a callback hears about: a module's forward, or one LM call made by a predictor. */
export interface CallEvent {
  readonly kind: 'module' | 'lm';
  /** Module class name, or the LM's model name. */
  readonly name: string;
  readonly inputs: unknown;
  readonly tags?: Readonly<Record<string, string>>;
}

/** Hooks for logging and telemetry; every method is optional and may not throw into the program. */
export interface Callback {
  onStart?(event: CallEvent): void;
  onEnd?(event: CallEvent, outcome: { output?: unknown; error?: unknown; durationMs: number }): void;
}

const tracer = trace.getTracer('sigil');

/**
 * Runs `fn` inside an OpenTelemetry span (a no-op unless the user registered a provider) and tells the
 * configured callbacks when it starts and ends.
 */
export async function instrument<T>(
  kind: CallEvent['kind'],
  name: string,
  inputs: unknown,
  fn: () => Promise<T>,
): Promise<T> {
  const { callbacks, tags } = settings();
  const hasCallbacks = callbacks !== undefined && callbacks.length > 0;
  const event: CallEvent | undefined = hasCallbacks ? { kind, name, inputs, tags } : undefined;
  if (event) notify(callbacks!, (c) => c.onStart?.(event));
  const started = hasCallbacks ? performance.now() : 0;
  return tracer.startActiveSpan(`sigil.${kind} ${name}`, async (span: Span) => {
    if (tags) for (const [k, v] of Object.entries(tags)) span.setAttribute(`sigil.tag.${k}`, v);
    try {
      const output = await fn();
      if (event)
        notify(callbacks!, (c) => c.onEnd?.(event, { output, durationMs: performance.now() - started }));
      return output;
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
      if (event)
        notify(callbacks!, (c) => c.onEnd?.(event, { error, durationMs: performance.now() - started }));
      throw error;
    } finally {
      span.end();
    }
  });
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
