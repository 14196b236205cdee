import { jsonSchema, tool } from 'ai';
import { ReAct, signature } from '@sigil/core';
import { fromAISdkTool, fromAISdkTools } from '@sigil/tools';
import { z } from 'zod';
import { agentLM } from '../support/agent-lm';

const weather = tool({
  description: 'Gets the forecast for a city.',
  inputSchema: z.object({ city: z.string().describe('the city'), unit: z.enum(['C', 'F']).default('C') }),
  execute: async ({ city, unit }) => ({ city, temperature: unit === 'C' ? 21 : 70 }),
});

describe('AI SDK bridge (with ai installed)', () => {
  it('turns a tool({...}) into a Sigil tool, its zod schema converted to JSON schema, used by ReAct', async () => {
    const [converted] = await fromAISdkTools({ weather });
    expect(converted.name).toBe('weather');
    expect(converted.desc).toBe('Gets the forecast for a city.');
    expect(converted.args).toEqual({
      city: { type: 'string', description: 'the city' },
      unit: { type: 'string', enum: ['C', 'F'], default: 'C' },
    });
    expect(await converted.call({ city: 'Oslo', unit: 'F' })).toEqual({ city: 'Oslo', temperature: 70 });

    const agent = new ReAct(signature('question -> answer'), {
      tools: [converted],
      lm: agentLM([{ tool: 'weather', args: { city: 'Oslo', unit: 'C' } }]),
    });
    const { trajectory } = await agent.forward({ question: 'How warm is Oslo?' });
    expect(trajectory.observation_0).toEqual({ city: 'Oslo', temperature: 21 });
  });

  it('reads jsonSchema(...) tools, passes the abort signal, and takes a streaming tool’s last value', async () => {
    let seen: AbortSignal | undefined;
    const counter = tool({
      inputSchema: jsonSchema<{ to: number }>({
        type: 'object',
        properties: { to: { type: 'integer' } },
        required: ['to'],
      }),
      async *execute({ to }, { abortSignal }) {
        seen = abortSignal;
        for (let i = 1; i <= to; i++) yield i;
      },
    });
    const converted = await fromAISdkTool('count', counter);
    expect(converted.required).toEqual(['to']);
    expect(await converted.call({ to: 3 })).toBe(3);
    expect(seen).toBeInstanceOf(AbortSignal);
  });

  it('refuses a tool without execute', async () => {
    await expect(fromAISdkTool('client_side', tool({ inputSchema: z.object({}) }))).rejects.toMatchObject({
      code: 'TOOL_BRIDGE_INPUT',
    });
  });
});
