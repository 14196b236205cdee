/**
 * `program.stream(inputs)`: DSPy's `streamify` with stream listeners. The program runs in its own context
 * whose predictors stream their LM calls and report each output field's text as it arrives; module and tool
 * starts come as status chunks; the last chunk is the program's result. Each stream has its own context, so
 * concurrent streams never mix, and a consumer that stops reading aborts the stream's LM calls and tools.
 */
import { LMAbortedError } from '../lm/errors';
import { context, settings, type Callback, type StreamSink } from '../runtime/settings';
import { eitherSignal } from './stream-call';

/** Text of an output field, as the LM streams it. */
export interface FieldChunk {
  readonly type: 'field';
  /** The predictor's path in the program (`respond.predict`; `self` for a lone Predict). */
  readonly predictor: string;
  readonly field: string;
  readonly delta: string;
}

/** A module or tool starting (or a tool ending), as DSPy's status messages say it. */
export interface StatusChunk {
  readonly type: 'status';
  readonly kind: 'module' | 'tool';
  readonly name: string;
  readonly message: string;
}

/** The program's result: the last chunk of a stream. */
export interface PredictionChunk<O> {
  readonly type: 'prediction';
  readonly prediction: O;
}

/** What `program.stream()` yields. */
export type StreamChunk<O = unknown> = FieldChunk | StatusChunk | PredictionChunk<O>;

/** The status texts of a stream (DSPy's `StatusMessageProvider`); return undefined to send none. */
export interface StatusMessages {
  /** When a module starts (default `Calling module <name>...`). */
  moduleStart?(name: string): string | undefined;
  /** When a tool starts (default `Calling tool <name>...`). */
  toolStart?(name: string): string | undefined;
  /** When a tool ends without failing (DSPy's `Tool calling finished! …`). */
  toolEnd?(name: string): string | undefined;
}

/** Options of `program.stream()`. */
export interface StreamOptions {
  /**
   * The fields to stream, as `field` or `predictor.field` (`answer`, `respond.predict.answer`); default
   * every output field of every predictor.
   */
  fields?: readonly string[];
  /** Status chunks: `false` for none, or your own texts (default: DSPy's). */
  status?: boolean | StatusMessages;
  /** Stops the stream (as breaking out of the loop does). */
  signal?: AbortSignal;
}

const DEFAULT_STATUS: Required<StatusMessages> = {
  moduleStart: (name) => `Calling module ${name}...`,
  toolStart: (name) => `Calling tool ${name}...`,
  toolEnd: () => 'Tool calling finished! Querying the LLM with tool calling results...',
};

/** ReAct's own tools, about which DSPy sends no status. */
const SILENT_TOOLS = new Set(['finish']);

/** What `streamModule` needs of a module. */
export interface Streamable<I, O> {
  forward(inputs: I): Promise<O>;
}

/**
 * Runs `module.forward(inputs)` and yields its field chunks, status chunks and finally its result. `paths`
 * maps each predictor to its path in the module.
 */
export async function* streamModule<I, O>(
  module: Streamable<I, O>,
  inputs: I,
  paths: ReadonlyMap<object, string>,
  options: StreamOptions = {},
): AsyncGenerator<StreamChunk<O>, void, undefined> {
  const queue: StreamChunk<O>[] = [];
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const push = (chunk: StreamChunk<O>) => {
    queue.push(chunk);
    notify();
  };
  const wanted = options.fields ? new Set(options.fields) : undefined;
  const controller = new AbortController();
  const stop = () =>
    controller.abort(
      new LMAbortedError('The stream was stopped (its consumer stopped reading or its signal fired).', {
        model: '',
        endpoint: '',
      }),
    );
  if (options.signal?.aborted) stop();
  options.signal?.addEventListener('abort', stop, { once: true });

  const sink: StreamSink = {
    signal: controller.signal,
    field(predictor, field, delta) {
      const path = paths.get(predictor) ?? (predictor as { label?: string }).label ?? 'self';
      if (wanted && !wanted.has(field) && !wanted.has(`${path}.${field}`)) return;
      push({ type: 'field', predictor: path, field, delta });
    },
  };
  const current = settings();
  const callbacks = [...(current.callbacks ?? [])];
  if (options.status !== false) callbacks.push(statusCallback(push, options.status));
  const signal = eitherSignal(current.lmOptions?.signal, controller.signal);
  let settled: { value: O } | { error: unknown } | undefined;
  context({ stream: sink, callbacks, lmOptions: { ...current.lmOptions, signal } }, () =>
    module.forward(inputs),
  ).then(
    (value) => {
      settled = { value };
      notify();
    },
    (error: unknown) => {
      settled = { error };
      notify();
    },
  );
  try {
    for (;;) {
      while (queue.length > 0) yield queue.shift()!;
      if (settled) {
        if ('error' in settled) throw settled.error;
        yield { type: 'prediction', prediction: settled.value };
        return;
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    options.signal?.removeEventListener('abort', stop);
    if (!settled) stop();
  }
}

function statusCallback(
  push: (chunk: StatusChunk) => void,
  custom: StatusMessages | true | undefined,
): Callback {
  const texts = { ...DEFAULT_STATUS, ...(typeof custom === 'object' ? custom : {}) };
  const send = (kind: StatusChunk['kind'], name: string, message: string | undefined) => {
    if (message) push({ type: 'status', kind, name, message });
  };
  return {
    onStart(event) {
      if (event.kind === 'module') send('module', event.name, texts.moduleStart(event.name));
      else if (event.kind === 'tool' && !SILENT_TOOLS.has(event.name))
        send('tool', event.name, texts.toolStart(event.name));
    },
    onEnd(event, outcome) {
      if (event.kind === 'tool' && !SILENT_TOOLS.has(event.name) && outcome.error === undefined)
        send('tool', event.name, texts.toolEnd(event.name));
    },
  };
}
