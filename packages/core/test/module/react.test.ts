import 'reflect-metadata';
import {
  ContextWindowExceededError,
  ReAct,
  signature,
  Tool,
  ToolMethod,
  type ChatMessage,
} from '@sigil/core';
import { pyRepr, toolsOf } from '@sigil/core/internal';
import { ScriptedLM } from '@sigil/testing';
import { chatReply, lastUserOf, systemOf } from './replies';

const search = new Tool(
  async ({ query }: { query: string }) => [`${query} | result one`, `${query} | result two`],
  {
    name: 'search_wikipedia',
    args: { query: { type: 'string' } },
  },
);

function step(thought: string, tool: string, args: Record<string, unknown>): string {
  return chatReply({ next_thought: thought, next_tool_name: tool, next_tool_args: args });
}

/** Answers the react predictor from `steps` in order and the extract predictor with `answer`. */
function agentLM(steps: string[], answer = 'Walt Disney') {
  let i = 0;
  return new ScriptedLM((messages: ChatMessage[]) =>
    systemOf(messages).includes('next_thought')
      ? steps[i++]
      : chatReply({ reasoning: 'from the trajectory', answer }),
  );
}

const reactCalls = (lm: ScriptedLM) => lm.calls.filter((c) => systemOf(c.messages).includes('next_thought'));

describe('ReAct', () => {
  it('builds DSPy’s react and extract signatures and instructions', () => {
    const agent = new ReAct(signature('question -> answer'), { tools: [search] });
    expect(agent.react.signature.fields.map((f) => f.name)).toEqual([
      'question',
      'trajectory',
      'next_thought',
      'next_tool_name',
      'next_tool_args',
    ]);
    expect(agent.react.signature.field('next_tool_name')!.type).toEqual({
      kind: 'literal',
      values: ['search_wikipedia', 'finish'],
    });
    expect(agent.react.signature.field('next_tool_args')!.type).toEqual({
      kind: 'dict',
      values: { kind: 'any' },
    });
    expect(agent.extract.predict.signature.fields.map((f) => f.name)).toEqual([
      'question',
      'trajectory',
      'reasoning',
      'answer',
    ]);
    // The learnable instructions are the task's own; the prompt renders ReAct's scaffold and the tools around them.
    expect(agent.react.instructions).toBe('Given the fields `question`, produce the fields `answer`.');
    expect(agent.react.promptSignature().instructions).toBe(
      [
        'Given the fields `question`, produce the fields `answer`.',
        '',
        'You are an Agent. In each episode, you will be given the fields `question` as input. And you can see your past trajectory so far.',
        'Your goal is to use one or more of the supplied tools to collect any necessary information for producing `answer`.',
        '',
        'To do this, you will interleave next_thought, next_tool_name, and next_tool_args in each turn, and also when finishing the task.',
        'After each tool call, you receive a resulting observation, which gets appended to your trajectory.',
        '',
        'When writing next_thought, you may reason about the current situation and plan for future steps.',
        'When selecting the next_tool_name and its next_tool_args, the tool must be one of:',
        '',
        "(1) search_wikipedia. It takes arguments {'query': {'type': 'string'}}.",
        '(2) finish, whose description is <desc>Marks the task as complete. That is, signals that all information for producing the outputs, i.e. `answer`, are now available to be extracted.</desc>. It takes arguments {}.',
        'When providing `next_tool_args`, the value inside the field must be in JSON format',
      ].join('\n'),
    );
    expect(agent.extract.predict.instructions).toBe(
      'Given the fields `question`, produce the fields `answer`.',
    );
    expect(agent.namedPredictors().map(([p]) => p)).toEqual(['react', 'extract.predict']);
    expect(agent.maxIters).toBe(20);
  });

  it('calls a tool, appends the observation to the trajectory, and extracts after finish', async () => {
    const lm = agentLM([
      step('Search first.', 'search_wikipedia', { query: 'Darn Cat' }),
      step('Done.', 'finish', {}),
    ]);
    const out = await new ReAct(signature('question -> answer'), { tools: [search], lm }).forward({
      question: 'Which studio?',
    });
    expect(out.answer).toBe('Walt Disney');
    expect(out.reasoning).toBe('from the trajectory');
    expect(out.trajectory).toEqual({
      thought_0: 'Search first.',
      tool_name_0: 'search_wikipedia',
      tool_args_0: { query: 'Darn Cat' },
      observation_0: ['Darn Cat | result one', 'Darn Cat | result two'],
      thought_1: 'Done.',
      tool_name_1: 'finish',
      tool_args_1: {},
      observation_1: 'Completed.',
    });
    expect(lm.calls).toHaveLength(3);
    // The second turn sees the trajectory as the adapter formats input fields.
    expect(lastUserOf(lm.calls[1].messages)).toContain(
      '[[ ## trajectory ## ]]\n[[ ## thought_0 ## ]]\nSearch first.\n\n[[ ## tool_name_0 ## ]]\nsearch_wikipedia\n\n' +
        '[[ ## tool_args_0 ## ]]\n{"query": "Darn Cat"}\n\n[[ ## observation_0 ## ]]\n[1] «Darn Cat | result one»\n[2] «Darn Cat | result two»\n\n' +
        'Respond with the corresponding output fields',
    );
    expect(lastUserOf(lm.calls[2].messages)).toContain('[[ ## observation_1 ## ]]\nCompleted.');
    expect(out.usage.totalTokens).toBeGreaterThan(0);
  });

  it('turns a tool that throws into an observation and goes on', async () => {
    const failing = new Tool(
      () => {
        throw new Error('service down');
      },
      { name: 'lookup', args: {} },
    );
    const lm = agentLM([step('Try.', 'lookup', {}), step('Give up.', 'finish', {})]);
    const out = await new ReAct(signature('question -> answer'), { tools: [failing], lm }).forward({
      question: 'q',
    });
    expect(out.trajectory.observation_0).toBe('Execution error in lookup: service down');
    expect(out.trajectory.tool_name_1).toBe('finish');
  });

  it('reports invalid arguments as an execution error, as DSPy validates them', async () => {
    const lm = agentLM([
      step('Search.', 'search_wikipedia', { q: 'x' }),
      step('Search.', 'search_wikipedia', { query: 3 }),
      step('.', 'finish', {}),
    ]);
    const out = await new ReAct(signature('question -> answer'), { tools: [search], lm }).forward({
      question: 'q',
    });
    expect(out.trajectory.observation_0).toBe(
      "Execution error in search_wikipedia: Arg q is not in the tool's args.",
    );
    expect(out.trajectory.observation_1).toBe(
      "Execution error in search_wikipedia: Arg query is invalid: 3 is not of type 'string'",
    );
  });

  it('ends the loop when the model names a tool that does not exist, then extracts', async () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const lm = agentLM(Array(10).fill(step('Hmm.', 'teleport', {})));
      const out = await new ReAct(signature('question -> answer'), {
        tools: [search],
        lm,
        maxRetries: 0,
      }).forward({
        question: 'q',
      });
      expect(out.trajectory).toEqual({});
      expect(out.answer).toBe('Walt Disney');
      // ChatAdapter, then the JSONAdapter fallback, then the extract call.
      expect(reactCalls(lm)).toHaveLength(2);
      expect(warn).toHaveBeenCalledWith(
        expect.stringMatching(
          /^ReAct\(StringSignature\): ending the trajectory, the agent failed to select a valid tool/,
        ),
        { code: 'SIGIL_REACT_INVALID_TOOL' },
      );
    } finally {
      warn.mockRestore();
    }
  });

  it('stops after maxIters turns, and a per-call maxIters overrides it', async () => {
    const looping = () => agentLM(Array(30).fill(step('Again.', 'search_wikipedia', { query: 'x' })));
    let lm = looping();
    let out = await new ReAct(signature('question -> answer'), { tools: [search], lm, maxIters: 3 }).forward({
      question: 'q',
    });
    expect(reactCalls(lm)).toHaveLength(3);
    expect(Object.keys(out.trajectory)).toHaveLength(12);
    expect(out.answer).toBe('Walt Disney');

    lm = looping();
    out = await new ReAct(signature('question -> answer'), { tools: [search], lm, maxIters: 3 }).forward(
      { question: 'q' },
      { maxIters: 1 },
    );
    expect(reactCalls(lm)).toHaveLength(1);
  });

  it('drops the oldest tool call when the prompt exceeds the context window', async () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    let calls = 0;
    const lm = new ScriptedLM((messages) => {
      if (!systemOf(messages).includes('next_thought')) return chatReply({ reasoning: 'r', answer: 'a' });
      calls++;
      if (calls === 3) throw new ContextWindowExceededError('too long', { status: 400 } as any);
      return calls < 4 ? step(`t${calls}`, 'search_wikipedia', { query: 'x' }) : step('done', 'finish', {});
    });
    const out = await new ReAct(signature('question -> answer'), { tools: [search], lm }).forward({
      question: 'q',
    });
    expect(Object.keys(out.trajectory)[0]).toBe('thought_1');
    expect(out.trajectory.tool_name_2).toBe('finish');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('dropping the oldest tool call'), {
      code: 'SIGIL_REACT_TRUNCATED',
    });
    warn.mockRestore();
  });

  it('runs async tools and decorated methods bound to their instance', async () => {
    class Wiki {
      prefix = 'wiki:';
      @ToolMethod({ desc: 'Looks a title up.\nReturns the abstract.', args: { title: { type: 'string' } } })
      async lookup({ title }: { title: string }) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return this.prefix + title;
      }
    }
    const wiki = new Wiki();
    expect(toolsOf(wiki).map(String)).toEqual([
      "lookup, whose description is <desc>Looks a title up.  Returns the abstract.</desc>. It takes arguments {'title': {'type': 'string'}}.",
    ]);
    const lm = agentLM([step('Look.', 'lookup', { title: 'Dune' }), step('.', 'finish', {})]);
    const out = await new ReAct(signature('question -> answer'), {
      tools: [wiki, { name: 'noop', desc: 'Does nothing.', fn: () => 'ok' }],
      lm,
    }).forward({ question: 'q' });
    expect(out.trajectory.observation_0).toBe('wiki:Dune');
  });

  it('rejects things that are not tools with a message saying what to pass', () => {
    expect(() => new ReAct(signature('q -> a'), { tools: [{ nothing: true }] })).toThrow(
      /Not a tool: an instance of Object without @ToolMethod\(\)s/,
    );
    expect(() => new Tool(() => 1)).toThrow(/A tool needs a name/);
  });
});

describe('pyRepr', () => {
  it('prints JSON-like values as Python’s repr does', () => {
    expect(pyRepr({ query: { type: 'string' }, k: { type: 'integer', default: 3 } })).toBe(
      "{'query': {'type': 'string'}, 'k': {'type': 'integer', 'default': 3}}",
    );
    expect(pyRepr(["it's", 'say "hi"', 'both \' "', true, null, 1.5, 'a\nb'])).toBe(
      `["it's", 'say "hi"', 'both \\' "', True, None, 1.5, 'a\\nb']`,
    );
  });

  it('refuses a tool named finish and two tools with one name', () => {
    const finish = new Tool(() => 'done', { name: 'finish', args: {} });
    expect(() => new ReAct(signature('question -> answer'), { tools: [finish] })).toThrow(
      expect.objectContaining({
        code: 'MODULE_DEFINITION',
        message: expect.stringMatching(/a tool is named "finish"/),
      }),
    );
    const twice = [
      new Tool(() => 1, { name: 'lookup', args: {} }),
      new Tool(() => 2, { name: 'lookup', args: {} }),
    ];
    expect(() => new ReAct(signature('question -> answer'), { tools: twice })).toThrow(
      expect.objectContaining({
        code: 'MODULE_DEFINITION',
        message: expect.stringMatching(/two tools are named "lookup"/),
      }),
    );
  });

  it('keeps the tool list out of the learnable instructions: a new instruction still lists every tool', () => {
    const agent = new ReAct(signature('question -> answer'), { tools: [search] });
    const handle = agent.parameters().find((p) => p.key === 'react:instructions')!;
    handle.set('Search before you answer.');
    const prompt = agent.react.promptSignature().instructions;
    expect(prompt.startsWith('Search before you answer.\n\nYou are an Agent.')).toBe(true);
    expect(prompt).toContain('(1) search_wikipedia.');
    expect(prompt).toContain('(2) finish, whose description');
    // Saved as the prompt has it (DSPy's bytes), and read back into the task part.
    const saved = agent.dumpState() as Record<string, any>;
    expect(saved.react.signature.instructions).toBe(prompt);
    const loaded = new ReAct(signature('question -> answer'), { tools: [search] }).loadState(saved);
    expect(loaded.react.instructions).toBe('Search before you answer.');
    expect(loaded.react.promptSignature().instructions).toBe(prompt);
  });
});
