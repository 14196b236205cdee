import 'reflect-metadata';
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import {
  configure,
  context as sigilContext,
  Image,
  Input,
  LM,
  Output,
  Predict,
  Predictor,
  Program,
  ReAct,
  Signature,
  signature,
  Tool,
} from '@sigil/core';
import { FakeOpenAIServer, ScriptedLM } from '@sigil/testing';
import { throughStream } from '../custom-types/streaming-lm';
import { chatReply } from '../module/replies';

@Signature('Answer the question.')
class QA {
  @Input() readonly question!: string;
  @Output() answer!: string;
}

class Asker extends Program {
  @Predictor() respond = new Predict(QA);
  async forward({ question }: { question: string }) {
    return this.respond.forward({ question });
  }
}

const SECRET_QUESTION = 'What is the launch code 0000?';

describe('OpenTelemetry spans (GenAI semantic conventions, SDK in-memory exporter)', () => {
  let exporter: InMemorySpanExporter;
  let provider: BasicTracerProvider;
  const savedEnv = process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT;

  beforeEach(() => {
    delete process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT;
    exporter = new InMemorySpanExporter();
    provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(provider);
  });
  afterEach(async () => {
    trace.disable();
    context.disable();
    await provider.shutdown();
    if (savedEnv === undefined) delete process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT;
    else process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT = savedEnv;
    configure({ telemetry: undefined });
  });

  const spans = () => exporter.getFinishedSpans();
  const named = (name: string) => spans().find((s) => s.name === name)!;
  const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

  it('nests program, module, adapter and LM spans, with the GenAI attributes, without any callbacks', async () => {
    const program = new Asker();
    program.respond.lm = new ScriptedLM([chatReply({ answer: 'Paris' })], { model: 'openai/gpt-4o-mini' });
    await program.forward({ question: 'Capital of France?' });

    expect(
      spans()
        .map((s) => s.name)
        .sort(),
    ).toEqual([
      'chat openai/gpt-4o-mini',
      'invoke_agent Asker',
      'sigil.adapter ChatAdapter.format',
      'sigil.adapter ChatAdapter.parse',
      'sigil.module Predict(QA)',
    ]);
    const root = named('invoke_agent Asker');
    const predict = named('sigil.module Predict(QA)');
    const chat = named('chat openai/gpt-4o-mini');
    expect(parentOf(root)).toBeUndefined();
    expect(parentOf(predict)).toBe(root.spanContext().spanId);
    expect(parentOf(chat)).toBe(predict.spanContext().spanId);
    expect(parentOf(named('sigil.adapter ChatAdapter.format'))).toBe(predict.spanContext().spanId);
    expect(root.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'Asker',
    });
    expect(chat.attributes).toMatchObject({
      'sigil.kind': 'lm',
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'openai/gpt-4o-mini',
      'gen_ai.output.type': 'text',
      'gen_ai.response.model': 'openai/gpt-4o-mini',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': expect.any(Number),
      'gen_ai.usage.output_tokens': expect.any(Number),
    });
    expect(named('sigil.adapter ChatAdapter.parse').attributes).toMatchObject({
      'sigil.adapter.name': 'ChatAdapter',
      'sigil.signature': 'QA',
    });
  });

  it.each([
    ['non-streamed', (l: LM) => l],
    ['streamed', throughStream],
  ])(
    'describes a call over HTTP: request parameters, server, usage, and no prompt text (%s)',
    async (_, wrap) => {
      const server = new FakeOpenAIServer({
        reply: () => ({
          content: chatReply({ answer: 'no' }),
          usage: { promptTokens: 42, completionTokens: 7 },
        }),
      });
      const baseURL = await server.start();
      try {
        const lm = new LM('anthropic/claude-haiku', { baseURL, apiKey: 'sk-test', cache: false });
        const predict = new Predict(QA, {
          lm: wrap(lm),
          config: { temperature: 0.2, maxTokens: 100, stop: '##' },
        });
        await sigilContext({ tags: { tenant: 'acme' } }, () =>
          predict.forward({ question: SECRET_QUESTION }),
        );
        const chat = named('chat anthropic/claude-haiku');
        expect(chat.attributes).toMatchObject({
          'gen_ai.provider.name': 'anthropic',
          'gen_ai.request.temperature': 0.2,
          'gen_ai.request.max_tokens': 100,
          'gen_ai.request.stop_sequences': ['##'],
          'server.address': '127.0.0.1',
          'server.port': Number(new URL(baseURL).port),
          'gen_ai.usage.input_tokens': 42,
          'gen_ai.usage.output_tokens': 7,
          'sigil.tag.tenant': 'acme',
        });
        const everything = JSON.stringify(spans().map((s) => s.attributes));
        expect(everything).not.toContain('launch code');
        expect(chat.attributes['gen_ai.input.messages']).toBeUndefined();
      } finally {
        await server.stop();
      }
    },
  );

  it('records messages, replies and tool arguments only when content capture is turned on', async () => {
    configure({ telemetry: { captureContent: true } });
    const lm = new ScriptedLM([chatReply({ answer: 'classified' })]);
    await new Predict(signature('photo: Image, question -> answer'), { lm }).forward({
      photo: new Image('https://example.com/pad.png'),
      question: SECRET_QUESTION,
    });
    const chat = named('chat scripted');
    const input = JSON.parse(String(chat.attributes['gen_ai.input.messages']));
    expect(input[0].role).toBe('user');
    expect(input[0].parts).toContainEqual({
      type: 'uri',
      modality: 'image',
      uri: 'https://example.com/pad.png',
    });
    expect(JSON.stringify(input)).toContain('launch code');
    expect(String(chat.attributes['gen_ai.system_instructions'])).toContain('Your input fields are');
    expect(JSON.parse(String(chat.attributes['gen_ai.output.messages']))[0]).toMatchObject({
      role: 'assistant',
      finish_reason: 'stop',
    });

    exporter.reset();
    configure({ telemetry: undefined });
    process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT = 'true';
    const search = new Tool(async ({ query }: { query: string }) => `found ${query}`, {
      name: 'search',
      args: { query: { type: 'string' } },
    });
    let step = 0;
    const agentLM = new ScriptedLM((messages) =>
      String(messages[0].content).includes('next_thought')
        ? step++ === 0
          ? chatReply({ next_thought: 't', next_tool_name: 'search', next_tool_args: { query: 'docs' } })
          : chatReply({ next_thought: 'done', next_tool_name: 'finish', next_tool_args: {} })
        : chatReply({ reasoning: 'r', answer: 'a' }),
    );
    await new ReAct(signature('question -> answer'), { tools: [search], lm: agentLM }).forward({
      question: 'q',
    });
    expect(named('execute_tool search').attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'search',
      'gen_ai.tool.type': 'function',
      'gen_ai.tool.call.arguments': '{"query":"docs"}',
      'gen_ai.tool.call.result': '"found docs"',
    });
  });

  it('marks a failing call as an error with its error.type', async () => {
    const lm = new ScriptedLM(() => {
      throw new Error('provider down');
    });
    await expect(new Predict(QA, { lm }).forward({ question: 'q' })).rejects.toThrow('provider down');
    const failed = spans().filter((s) => s.status.code === SpanStatusCode.ERROR);
    expect(failed.map((s) => s.name).sort()).toEqual(['chat scripted', 'sigil.module Predict(QA)']);
    expect(named('chat scripted').attributes['error.type']).toBe('Error');
  });

  it('redacts registered secrets from the status and exception of a failed span (issue 16, F6)', async () => {
    const secret = 'sk-span-secret-0123456789';
    new LM('openai/m', { baseURL: 'http://127.0.0.1:9/v1', apiKey: secret, cache: false });
    const lm = new ScriptedLM(() => {
      throw new Error(`provider said: key ${secret} is revoked`);
    });
    await expect(new Predict(QA, { lm }).forward({ question: 'q' })).rejects.toThrow('revoked');
    const failed = spans().filter((s) => s.status.code === SpanStatusCode.ERROR);
    expect(failed).toHaveLength(2);
    for (const span of failed) {
      expect(span.status.message).toContain('revoked');
      expect(JSON.stringify([span.status, span.events])).not.toContain(secret);
      expect(span.events.filter((e) => e.name === 'exception')).toHaveLength(1);
    }
  });

  it('stops recording once the provider is removed, and starts again when one is registered', async () => {
    const lm = new ScriptedLM([chatReply({ answer: 'A' })], { cycle: true });
    const predict = new Predict(QA, { lm });
    trace.disable();
    await predict.forward({ question: 'q' });
    expect(spans()).toHaveLength(0);

    trace.setGlobalTracerProvider(provider);
    await predict.forward({ question: 'q' });
    expect(spans().map((s) => s.name)).toContain('chat scripted');
  });
});
