import 'reflect-metadata';
import { ReAct, signature, Tool, ToolTimeoutError, type ChatMessage } from '@sigil/core';
import { ScriptedLM } from '@sigil/testing';
import { chatReply, systemOf } from './replies';

function step(tool: string, args: Record<string, unknown> = {}): string {
  return chatReply({ next_thought: `use ${tool}`, next_tool_name: tool, next_tool_args: args });
}

function agentLM(steps: string[]) {
  let i = 0;
  return new ScriptedLM((messages: ChatMessage[]) =>
    systemOf(messages).includes('next_thought')
      ? (steps[i++] ?? step('finish'))
      : chatReply({ reasoning: 'done', answer: 'whatever' }),
  );
}

/** A tool that never returns, recording the signal it was given. */
function hangingTool(options: { timeoutMs?: number } = {}) {
  const signals: AbortSignal[] = [];
  const tool = new Tool(
    (_args: Record<string, never>, { signal }) => {
      signals.push(signal);
      return new Promise<never>(() => undefined);
    },
    { name: 'hang', desc: 'Never answers.', ...options },
  );
  return { tool, signals };
}

describe('ReAct tool limits (issue 16, F5)', () => {
  it('gives a tool without a timeout of its own a default of 60 s', async () => {
    jest.useFakeTimers();
    try {
      const { tool, signals } = hangingTool();
      const pending = tool.call({}).catch((e: unknown) => e);
      await jest.advanceTimersByTimeAsync(59_999);
      expect(signals[0].aborted).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      expect(await pending).toBeInstanceOf(ToolTimeoutError);
      expect(signals[0].aborted).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  it('turns a tool that outlives its timeoutMs into an observation and aborts its signal', async () => {
    const { tool, signals } = hangingTool({ timeoutMs: 30 });
    const agent = new ReAct(signature('question -> answer'), { tools: [tool], lm: agentLM([step('hang')]) });
    const { trajectory } = await agent.forward({ question: 'q' });
    expect(trajectory.observation_0).toBe('Execution error in hang: the tool did not answer within 30 ms.');
    expect(trajectory.tool_name_1).toBe('finish');
    expect(signals).toHaveLength(1);
    expect(signals[0].aborted).toBe(true);
  });

  it("fails the call with ToolTimeoutError when onToolTimeout is 'error'", async () => {
    const { tool } = hangingTool({ timeoutMs: 30 });
    const agent = new ReAct(signature('question -> answer'), {
      tools: [tool],
      lm: agentLM([step('hang')]),
      onToolTimeout: 'error',
    });
    const error = await agent.forward({ question: 'q' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolTimeoutError);
    expect(error).toMatchObject({ code: 'TOOL_TIMEOUT', tool: 'hang', timeoutMs: 30 });
  });

  it("stops waiting for a hanging tool when the call's signal aborts, and aborts the tool too", async () => {
    const { tool, signals } = hangingTool({ timeoutMs: Infinity });
    const agent = new ReAct(signature('question -> answer'), { tools: [tool], lm: agentLM([step('hang')]) });
    const controller = new AbortController();
    const pending = agent.forward({ question: 'q' }, { config: { signal: controller.signal } });
    while (signals.length === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    controller.abort(new Error('user went away'));
    await expect(pending).rejects.toThrow('user went away');
    expect(signals[0].aborted).toBe(true);
  });

  it('applies a per-call toolTimeoutMs to tools that have no timeout of their own', async () => {
    const hang = new Tool(() => new Promise<never>(() => undefined), { name: 'hang' });
    const agent = new ReAct(signature('question -> answer'), { tools: [hang], lm: agentLM([step('hang')]) });
    const { trajectory } = await agent.forward({ question: 'q' }, { toolTimeoutMs: 20 });
    expect(trajectory.observation_0).toBe('Execution error in hang: the tool did not answer within 20 ms.');
  });
});
