/**
 * Native function calling as DSPy's adapters do it, end to end over the loopback fake server: the request
 * body (messages, `tools`, `parallel_tool_calls`, `response_format`) and the parsed outputs. The cases in
 * `tool-cases/` were written from DSPy's source (adapters/base.py `_call_preprocess`, `_call_postprocess`,
 * `format_conversation_history`; types/tool.py) and checked against pydantic for the ToolCalls schema.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChatAdapter, History, JSONAdapter, LM, Predict, signature, Tool } from '@sigil/core';
import { FakeOpenAIServer, type FakeReply } from '@sigil/testing';

interface ToolCase {
  name: string;
  notes?: string;
  adapter: 'chat' | 'json';
  native: boolean;
  parallel_tool_calls?: boolean;
  signature: string;
  instructions: string | null;
  tools: { name: string; desc?: string; args: Record<string, Record<string, unknown>> }[];
  inputs: Record<string, unknown>;
  history?: Record<string, unknown>[];
  reply: FakeReply;
  expected_request: Record<string, unknown>;
  expected_outputs: Record<string, unknown>;
}

const file = join(__dirname, 'tool-cases', 'dspy-native-tools.json');
const cases = JSON.parse(readFileSync(file, 'utf8')) as ToolCase[];
const REQUEST_KEYS = ['messages', 'tools', 'parallel_tool_calls', 'response_format', 'tool_choice'];

let server: FakeOpenAIServer;
let lm: LM;
beforeAll(async () => {
  server = new FakeOpenAIServer();
  lm = new LM('openai/gpt-4o-mini', { baseURL: await server.start(), apiKey: 'sk-test', cache: false });
});
afterAll(() => server.stop());

/** The JSON a prediction's outputs serialise to (a ToolCalls as DSPy dumps it). */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

describe.each(cases.map((c) => [c.name, c] as const))('native tool case %s', (_name, c) => {
  it('sends the request DSPy sends and parses the reply as DSPy does', async () => {
    const options = { nativeFunctionCalling: c.native, parallelToolCalls: c.parallel_tool_calls };
    const adapter = c.adapter === 'json' ? new JSONAdapter(options) : new ChatAdapter(options);
    const spec = signature(c.signature, c.instructions ?? undefined);
    const tools = c.tools.map((t) => new Tool(() => 'unused', t));
    const predict = new Predict(spec, { lm, adapter });
    server.reset();
    server.setReply([c.reply]);
    const inputs: Record<string, unknown> = { ...c.inputs, tools };
    if (c.history) inputs.history = new History(c.history);
    const outputs = await (predict as Predict).forward(inputs);
    const body = server.chatRequests[0].body as Record<string, unknown>;
    const sent: Record<string, unknown> = {};
    for (const key of REQUEST_KEYS) if (key in body) sent[key] = body[key];
    if (process.env.SIGIL_WRITE_TOOL_CASES) {
      c.expected_request = sent;
      c.expected_outputs = plain(outputs.toJSON()) as Record<string, unknown>;
      return;
    }
    expect(sent).toEqual(c.expected_request);
    expect(plain(outputs.toJSON())).toEqual(c.expected_outputs);
  });
});

afterAll(() => {
  if (process.env.SIGIL_WRITE_TOOL_CASES) {
    writeFileSync(file, JSON.stringify(cases, null, 2) + '\n');
  }
});
