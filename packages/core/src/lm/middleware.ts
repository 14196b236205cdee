import type { CallOptions, ChatMessage, LanguageModel, LMResponse, LMStreamEvent } from './types';

/** What a middleware is told about the call besides its messages and options. */
export interface LMCallInfo {
  /** The LM the call goes to (the innermost one, not a wrapper). */
  readonly lm: LanguageModel;
  /** The module instance that made the call, when a predictor made it. */
  readonly caller?: object;
}

/** The rest of the chain: the next middleware, or the LM itself. */
export type NextCall = (messages: ChatMessage[], options: CallOptions) => Promise<LMResponse>;
/** The rest of the chain for a streaming call. */
export type NextStream = (messages: ChatMessage[], options: CallOptions) => AsyncIterable<LMStreamEvent>;

/**
 * Cross-cutting LM behaviour, in the manner of the AI SDK's `wrapLanguageModel`: hooks around `call` and
 * `stream` that may change the request, the response, count, refuse or answer themselves. Budgets, CLI
 * metering, `sigil inspect`'s capture and Nest's shutdown draining are middlewares.
 * @example const logged = wrapLM(lm, { name: 'log', call: async (next, m, o) => { console.log(m.length); return next(m, o); } });
 */
export interface LMMiddleware {
  /** For messages and debugging. */
  readonly name?: string;
  /** Around `call`: answer, change the request, or pass it on with `next(messages, options)`. */
  call?(next: NextCall, messages: ChatMessage[], options: CallOptions, info: LMCallInfo): Promise<LMResponse>;
  /** Around `stream`: yield events, change the request, or pass it on with `next(messages, options)`. */
  stream?(
    next: NextStream,
    messages: ChatMessage[],
    options: CallOptions,
    info: LMCallInfo,
  ): AsyncIterable<LMStreamEvent>;
}

/** An LM seen through middlewares: what `wrapLM` returns. */
export interface WrappedLM extends LanguageModel {
  /** The LM underneath every middleware. */
  readonly inner: LanguageModel;
  readonly middleware: readonly LMMiddleware[];
}

/** The LM underneath any middleware wrappers. */
export function unwrapLM(lm: LanguageModel): LanguageModel {
  return (lm as Partial<WrappedLM>).inner ?? lm;
}

/**
 * `lm` with `middleware` around its `call` and `stream`, the first middleware outermost. Wrapping a wrapped
 * LM adds to its chain (outside the existing ones). Everything else (`model`, structured-output support)
 * is the LM's own.
 */
export function wrapLM(lm: LanguageModel, ...middleware: readonly LMMiddleware[]): WrappedLM {
  const existing = (lm as Partial<WrappedLM>).middleware ?? [];
  return chain(unwrapLM(lm), [...middleware, ...existing], undefined);
}

/** Runs one call through `middleware` (outermost first) to `lm`, telling each who the caller is. */
export function callThrough(
  lm: LanguageModel,
  middleware: readonly LMMiddleware[],
  messages: ChatMessage[],
  options: CallOptions,
  caller?: object,
): Promise<LMResponse> {
  const inner = unwrapLM(lm);
  const all = [...middleware, ...((lm as Partial<WrappedLM>).middleware ?? [])];
  return chain(inner, all, caller).call(messages, options);
}

/** Streams one call through `middleware` (outermost first) to `lm`, telling each who the caller is. */
export function streamThrough(
  lm: LanguageModel,
  middleware: readonly LMMiddleware[],
  messages: ChatMessage[],
  options: CallOptions,
  caller?: object,
): AsyncIterable<LMStreamEvent> {
  const inner = unwrapLM(lm);
  const all = [...middleware, ...((lm as Partial<WrappedLM>).middleware ?? [])];
  return chain(inner, all, caller).stream!(messages, options);
}

function chain(
  inner: LanguageModel,
  middleware: readonly LMMiddleware[],
  caller: object | undefined,
): WrappedLM {
  const info: LMCallInfo = { lm: inner, caller };
  const callAt = (i: number): NextCall => {
    for (; i < middleware.length; i++) {
      const hook = middleware[i].call;
      if (hook) {
        const next = callAt(i + 1);
        return (messages, options) => hook.call(middleware[i], next, messages, options, info);
      }
    }
    return (messages, options) => inner.call(messages, options);
  };
  const streamAt = (i: number): NextStream => {
    if (i >= middleware.length) {
      return (messages, options) =>
        inner.stream ? inner.stream(messages, options) : wholeAsStream(() => inner.call(messages, options));
    }
    const m = middleware[i];
    const next = streamAt(i + 1);
    if (m.stream) return (messages, options) => m.stream!(next, messages, options, info);
    if (m.call) return (messages, options) => callHookAroundStream(m, next, messages, options, info);
    return next;
  };
  const call = callAt(0);
  const stream = streamAt(0);
  return {
    model: inner.model,
    supportsStructuredOutputs: inner.supportsStructuredOutputs,
    supportsFunctionCalling: inner.supportsFunctionCalling,
    inner,
    middleware,
    call: (messages, options = {}) => call(messages, options),
    stream: (messages, options = {}) => stream(messages, options),
    forget: inner.forget ? (response) => inner.forget!(response) : undefined,
  };
}

/** A whole answer as a stream, for LMs that cannot stream: one delta per choice, then the response. */
async function* wholeAsStream(call: () => Promise<LMResponse>): AsyncIterable<LMStreamEvent> {
  const response = await call();
  for (const [index, completion] of response.completions.entries()) {
    yield { type: 'delta', index, text: completion.text };
  }
  yield { type: 'done', response };
}

/**
 * A middleware with only a `call` hook, applied to a stream: the hook runs as for a call, its `next` being
 * the stream underneath, whose deltas pass straight through while it runs; the hook's response is the
 * stream's last event. So a budget or a meter written for calls also sees streamed calls.
 */
async function* callHookAroundStream(
  middleware: LMMiddleware,
  next: NextStream,
  messages: ChatMessage[],
  options: CallOptions,
  info: LMCallInfo,
): AsyncIterable<LMStreamEvent> {
  const queue: LMStreamEvent[] = [];
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  let settled: { response?: LMResponse; error?: unknown } | undefined;
  const inner: NextCall = async (m, o) => {
    let last: LMResponse | undefined;
    for await (const event of next(m, o)) {
      if (event.type === 'done') last = event.response;
      else {
        queue.push(event);
        notify();
      }
    }
    if (!last) throw new Error('the stream ended without its final response');
    return last;
  };
  middleware.call!(inner, messages, options, info).then(
    (response) => {
      settled = { response };
      notify();
    },
    (error: unknown) => {
      settled = { error };
      notify();
    },
  );
  for (;;) {
    while (queue.length > 0) yield queue.shift()!;
    if (settled) {
      if ('error' in settled && settled.error !== undefined) throw settled.error;
      yield { type: 'done', response: settled.response! };
      return;
    }
    await new Promise<void>((resolve) => (wake = resolve));
  }
}
