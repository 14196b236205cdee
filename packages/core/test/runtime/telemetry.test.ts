import 'reflect-metadata';
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type Attributes,
  type Context,
  context,
  type ContextManager,
  ROOT_CONTEXT,
  type Span,
  type SpanContext,
  type SpanOptions,
  type SpanStatus,
  SpanStatusCode,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { Input, LM, Output, Predict, Predictor, Program, Signature } from '@sigil/core';
import { ScriptedLM } from '@sigil/testing';
import { chatReply } from '../module/replies';

/** A finished span as the in-memory provider keeps it. */
interface RecordedSpan {
  name: string;
  id: string;
  parentId?: string;
  attributes: Attributes;
  status?: SpanStatus;
  exceptions: unknown[];
  ended: boolean;
}

let nextId = 1;

class RecordingSpan implements Span {
  readonly record: RecordedSpan;
  private readonly context: SpanContext;

  constructor(
    name: string,
    parent: Span | undefined,
    private readonly finished: RecordedSpan[],
  ) {
    const spanId = String(nextId++).padStart(16, '0');
    this.context = { traceId: '1'.padStart(32, '0'), spanId, traceFlags: 1 };
    this.record = {
      name,
      id: spanId,
      parentId: parent?.spanContext().spanId,
      attributes: {},
      exceptions: [],
      ended: false,
    };
  }

  spanContext(): SpanContext {
    return this.context;
  }
  setAttribute(key: string, value: any): this {
    this.record.attributes[key] = value;
    return this;
  }
  setAttributes(attributes: Attributes): this {
    Object.assign(this.record.attributes, attributes);
    return this;
  }
  addEvent(): this {
    return this;
  }
  addLink(): this {
    return this;
  }
  addLinks(): this {
    return this;
  }
  setStatus(status: SpanStatus): this {
    this.record.status = status;
    return this;
  }
  updateName(name: string): this {
    this.record.name = name;
    return this;
  }
  end(): void {
    this.record.ended = true;
    this.finished.push(this.record);
  }
  isRecording(): boolean {
    return true;
  }
  recordException(exception: unknown): void {
    this.record.exceptions.push(exception);
  }
}

/** A tracer provider that keeps every finished span in memory (an exporter-like sink for tests). */
class InMemoryTracerProvider implements TracerProvider {
  readonly spans: RecordedSpan[] = [];

  getTracer(): Tracer {
    const finished = this.spans;
    const startSpan = (name: string, _options?: SpanOptions, parentContext?: Context): Span =>
      new RecordingSpan(name, trace.getSpan(parentContext ?? context.active()), finished);
    return {
      startSpan,
      startActiveSpan: (name: string, ...rest: unknown[]) => {
        const fn = rest.at(-1) as (span: Span) => unknown;
        const options = (rest.length > 1 ? rest[0] : undefined) as SpanOptions | undefined;
        const parent = (rest.length > 2 ? rest[1] : undefined) as Context | undefined;
        const span = startSpan(name, options, parent);
        return context.with(trace.setSpan(parent ?? context.active(), span), () => fn(span));
      },
    } as Tracer;
  }
}

/** The context propagation a real SDK installs (AsyncLocalStorage), so spans nest across awaits. */
class AsyncLocalContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.storage.run(ctx, () => fn.call(thisArg, ...args));
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    return this;
  }
}

@Signature('Answer the question.')
class QA {
  @Input() question!: string;
  @Output() answer!: string;
}

class Asker extends Program {
  @Predictor() respond = new Predict(QA);
  async forward({ question }: { question: string }) {
    return this.respond.forward({ question });
  }
}

describe('OpenTelemetry spans', () => {
  let provider: InMemoryTracerProvider;

  beforeEach(() => {
    provider = new InMemoryTracerProvider();
    context.setGlobalContextManager(new AsyncLocalContextManager());
    trace.setGlobalTracerProvider(provider);
  });
  afterEach(() => {
    trace.disable();
    context.disable();
  });

  it('records a span per module and per LM call, nested, without any callbacks configured', async () => {
    const lm = new ScriptedLM([chatReply({ answer: 'Paris' })], { model: 'openai/gpt-4o-mini' });
    const program = new Asker();
    program.respond.lm = lm;
    await program.forward({ question: 'Capital of France?' });

    const byName = new Map(provider.spans.map((s) => [s.name, s]));
    expect([...byName.keys()].sort()).toEqual([
      'sigil.lm openai/gpt-4o-mini',
      'sigil.module Asker',
      'sigil.module Predict(QA)',
    ]);
    const root = byName.get('sigil.module Asker')!;
    const predict = byName.get('sigil.module Predict(QA)')!;
    const call = byName.get('sigil.lm openai/gpt-4o-mini')!;
    expect(root.parentId).toBeUndefined();
    expect(predict.parentId).toBe(root.id);
    expect(call.parentId).toBe(predict.id);
    expect(call.attributes).toMatchObject({
      'sigil.kind': 'lm',
      'gen_ai.request.model': 'openai/gpt-4o-mini',
      'gen_ai.usage.input_tokens': expect.any(Number),
    });
    expect(provider.spans.every((s) => s.ended)).toBe(true);
  });

  it('marks the span of a failing call as an error', async () => {
    const lm = new ScriptedLM(() => {
      throw new Error('provider down');
    });
    await expect(new Predict(QA, { lm }).forward({ question: 'q' })).rejects.toThrow('provider down');
    const failed = provider.spans.filter((s) => s.status?.code === SpanStatusCode.ERROR).map((s) => s.name);
    expect(failed.sort()).toEqual(['sigil.lm scripted', 'sigil.module Predict(QA)']);
  });

  it('redacts registered secrets from the status and exception of a failed span (issue 16, F6)', async () => {
    const secret = 'sk-span-secret-0123456789';
    new LM('openai/m', { baseURL: 'http://127.0.0.1:9/v1', apiKey: secret, cache: false });
    const lm = new ScriptedLM(() => {
      throw new Error(`provider said: key ${secret} is revoked`);
    });
    await expect(new Predict(QA, { lm }).forward({ question: 'q' })).rejects.toThrow('revoked');
    const failed = provider.spans.filter((s) => s.status?.code === SpanStatusCode.ERROR);
    expect(failed).toHaveLength(2);
    for (const span of failed) {
      expect(span.status?.message).toContain('revoked');
      expect(JSON.stringify([span.status, span.exceptions])).not.toContain(secret);
      expect(span.exceptions).toHaveLength(1);
    }
  });

  it('stops recording once the provider is removed, and starts again when one is registered', async () => {
    const lm = new ScriptedLM([chatReply({ answer: 'A' })], { cycle: true });
    const predict = new Predict(QA, { lm });
    trace.disable();
    await predict.forward({ question: 'q' });
    expect(provider.spans).toHaveLength(0);

    const next = new InMemoryTracerProvider();
    trace.setGlobalTracerProvider(next);
    await predict.forward({ question: 'q' });
    expect(next.spans.map((s) => s.name).sort()).toEqual(['sigil.lm scripted', 'sigil.module Predict(QA)']);
  });
});
