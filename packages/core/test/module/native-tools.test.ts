import 'reflect-metadata';
import { IsIn, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';
import {
  executeToolCalls,
  LM,
  ReAct,
  ReActNoSubmitError,
  signature,
  Tool,
  ToolCalls,
  type LanguageModel,
} from '@sigil/core';
import { FakeOpenAIServer, type FakeReply } from '@sigil/testing';
import { throughStream } from '../custom-types/streaming-lm';

class WeatherArgs {
  @IsString() @MinLength(2) city!: string;
  @IsOptional() @IsIn(['c', 'f']) unit?: string;
  @Min(1) @Max(7) days!: number;
}

const weather = new Tool(async ({ city, unit, days }) => `${city}: sunny for ${days} days (${unit ?? 'c'})`, {
  name: 'get_weather',
  desc: 'Forecast for a city.',
  argsType: WeatherArgs,
  argDesc: { city: 'the city name' },
});

describe('tools from an argument class', () => {
  it('derives each argument schema from the class, optional members not required', () => {
    expect(weather.args).toEqual({
      city: { type: 'string', minLength: 2, description: 'the city name' },
      unit: { anyOf: [{ type: 'string' }, { type: 'null' }], default: null, enum: ['c', 'f'] },
      days: { type: 'number', minimum: 1, maximum: 7 },
    });
    expect(weather.required).toEqual(['city', 'days']);
  });

  it('passes an instance of the class to the function once the arguments validate', async () => {
    const seen: unknown[] = [];
    const tool = new Tool((args: WeatherArgs) => seen.push(args), { name: 't', argsType: WeatherArgs });
    await tool.call({ city: 'Oslo', days: 2 });
    expect(seen[0]).toBeInstanceOf(WeatherArgs);
  });

  it('turns a call breaking the class-validator constraints into a clear error result', async () => {
    const calls = new ToolCalls([{ id: 'c1', name: 'get_weather', args: { city: 'O', days: 9 } }]);
    const [result] = await executeToolCalls(calls, [weather]);
    expect(result.is_error).toBe(true);
    expect(result.value).toContain('Execution error in get_weather: Args of get_weather are invalid:');
    expect(result.value).toContain('city: city must be longer than or equal to 2 characters');
    expect(result.value).toContain('days: days must not be greater than 7');
  });

  it('takes a JSON object schema and honours its required list', async () => {
    const tool = new Tool(({ q }: { q: string; limit?: number }) => q, {
      name: 'find',
      schema: {
        type: 'object',
        properties: { q: { type: 'string' }, limit: { type: 'integer' } },
        required: ['q'],
      },
    });
    expect(tool.required).toEqual(['q']);
    await expect(tool.call({ q: 'x' })).resolves.toBe('x');
    await expect(tool.call({ limit: 2 })).rejects.toMatchObject({ code: 'TOOL_CALL' });
  });

  it('refuses arguments given two ways', () => {
    expect(() => new Tool(() => 1, { name: 'x', args: {}, argsType: WeatherArgs })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });
});

describe('executeToolCalls', () => {
  it('runs the calls of one turn at once and keeps their order', async () => {
    const started: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = new Tool(
      async ({ id }: { id: string }) => {
        started.push(id);
        if (started.length === 2) release();
        await gate;
        return id;
      },
      { name: 'slow', args: { id: { type: 'string' } } },
    );
    const calls = ToolCalls.from([
      { id: 'a', name: 'slow', args: { id: 'first' } },
      { id: 'b', name: 'slow', args: { id: 'second' } },
      { id: 'c', name: 'missing', args: {} },
    ]);
    const results = await executeToolCalls(calls, [slow]);
    expect(results).toEqual([
      { call_id: 'a', name: 'slow', value: 'first', is_error: false },
      { call_id: 'b', name: 'slow', value: 'second', is_error: false },
      { call_id: 'c', name: 'missing', value: 'Unknown tool: missing', is_error: true },
    ]);
  });
});

describe('ReAct with native tool calls (DSPy ReActV2)', () => {
  let server: FakeOpenAIServer;
  let lm: LM;
  beforeAll(async () => {
    server = new FakeOpenAIServer();
    lm = new LM('openai/gpt-4o-mini', { baseURL: await server.start(), apiKey: 'sk-test', cache: false });
  });
  afterAll(() => server.stop());
  beforeEach(() => server.reset());

  const QA = signature('question -> answer', 'Answer the question.');
  const call = (name: string, args: Record<string, unknown>, id: string) => ({ name, arguments: args, id });
  const thought = (text: string) => `[[ ## next_thought ## ]]\n${text}\n\n[[ ## completed ## ]]`;

  it.each([
    ['non-streamed', () => lm as LanguageModel],
    ['streamed', () => throughStream(lm) as LanguageModel],
  ])(
    'runs parallel calls, shows their results as tool messages and ends with submit (%s)',
    async (_, model) => {
      server.setReply([
        {
          content: thought('Two cities.'),
          toolCalls: [
            call('get_weather', { city: 'Oslo', days: 1 }, 'c1'),
            call('get_weather', { city: 'Rome', days: 2 }, 'c2'),
          ],
        },
        { content: thought('Done.'), toolCalls: [call('submit', { answer: 'both sunny' }, 'c3')] },
      ] satisfies FakeReply[]);
      const agent = new ReAct(QA, { tools: [weather], toolCalling: 'native', lm: model() });
      const out = await agent.forward({ question: 'Weather in Oslo and Rome?' });
      expect(out.answer).toBe('both sunny');
      expect(out.termination_reason).toBe('submit');
      const [first, second] = server.chatRequests.map((r) => r.body);
      expect(first.tools.map((t: any) => t.function.name)).toEqual(['get_weather', 'submit']);
      const objective = [
        'Answer the question.',
        'You are an Agent. Use the supplied tools to produce `answer` from `question`.',
        'Call tools when more information is needed.',
        'When the final answer is ready, call `submit` with `answer`.',
        'The available tools are: `get_weather`, `submit`.',
      ];
      expect(first.messages[0].content).toContain(objective.join('\n        '));
      expect(first.messages[0].content).toContain(
        '1. `question` (UnionType[str, NoneType]): \n2. `history` (History):',
      );
      const tail = second.messages.slice(1, -1);
      expect(tail.map((m: any) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool']);
      expect(tail[1].tool_calls.map((c: any) => c.id)).toEqual(['c1', 'c2']);
      expect(tail.slice(2).map((m: any) => m.content)).toEqual([
        'Oslo: sunny for 1 days (c)',
        'Rome: sunny for 2 days (c)',
      ]);
      expect(out.history.messages).toHaveLength(2);
    },
  );

  it('asks for submit with tool_choice when the turns run out', async () => {
    server.setReply([
      { content: thought('Searching.'), toolCalls: [call('get_weather', { city: 'Oslo', days: 1 }, 'c1')] },
      { content: thought('Submitting.'), toolCalls: [call('submit', { answer: 'sunny' }, 'c2')] },
    ]);
    const agent = new ReAct(QA, { tools: [weather], toolCalling: 'native', lm, maxIters: 1 });
    const out = await agent.forward({ question: 'Oslo?' });
    expect(out.termination_reason).toBe('forced_submit');
    expect(server.chatRequests[1].body.tool_choice).toEqual({
      type: 'function',
      function: { name: 'submit' },
    });
  });

  it('fails with ReActNoSubmitError when even the forced turn does not submit', async () => {
    server.setReply([thought('Nothing to call.'), thought('Still nothing.')]);
    const agent = new ReAct(QA, { tools: [weather], toolCalling: 'native', lm });
    const error = await agent.forward({ question: 'Oslo?' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReActNoSubmitError);
    expect(error).toMatchObject({ code: 'REACT_NO_SUBMIT', reason: 'empty_tool_calls' });
  });

  it('refuses a tool named submit in native mode', () => {
    const submit = new Tool(() => 1, { name: 'submit' });
    expect(() => new ReAct(QA, { tools: [submit], toolCalling: 'native' })).toThrow(
      expect.objectContaining({ code: 'MODULE_DEFINITION' }),
    );
  });
});
