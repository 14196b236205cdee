import { Document } from '@langchain/core/documents';
import { BaseRetriever } from '@langchain/core/retrievers';
import { tool } from '@langchain/core/tools';
import { ReAct, signature } from '@sigil/core';
import { fromLangChainRetriever, fromLangChainTool, Retrieve } from '@sigil/tools';
import { z } from 'zod';
import { agentLM } from '../support/agent-lm';

const lookup = tool(
  async ({ city, days }: { city: string; days?: number }) => `${city}: sunny for ${days ?? 1} day(s)`,
  {
    name: 'weather',
    description: 'Gets the forecast for a city.',
    schema: z.object({ city: z.string().describe('the city'), days: z.number().int().optional() }),
  },
);

class Shelf extends BaseRetriever {
  override lc_namespace = ['test', 'shelf'];
  override async _getRelevantDocuments(query: string): Promise<Document[]> {
    return ['one', 'two', 'three'].map(
      (n) => new Document({ pageContent: `${query} ${n}`, metadata: { n } }),
    );
  }
}

describe('LangChain.js bridges (with @langchain/core installed)', () => {
  it('turns a StructuredTool into a Sigil tool with its zod schema as JSON schema, used by ReAct', async () => {
    const weather = fromLangChainTool(lookup);
    expect(weather.name).toBe('weather');
    expect(weather.desc).toBe('Gets the forecast for a city.');
    expect(weather.args.city).toEqual({ type: 'string', description: 'the city' });
    expect(weather.args.days).toMatchObject({ type: 'integer' });
    expect(weather.required).toEqual(['city']);
    expect(await weather.call({ city: 'Lisbon' })).toBe('Lisbon: sunny for 1 day(s)');

    const agent = new ReAct(signature('question -> answer'), {
      tools: [weather],
      lm: agentLM([
        { tool: 'weather', args: { city: 'Porto', days: 2 } },
        { tool: 'weather', args: { city: 3 } },
      ]),
    });
    const { trajectory } = await agent.forward({ question: 'Weather in Porto?' });
    expect(trajectory.observation_0).toBe('Porto: sunny for 2 day(s)');
    expect(trajectory.observation_1).toBe(
      "Execution error in weather: Arg city is invalid: 3 is not of type 'string'",
    );
  });

  it('reports a failing LangChain tool by name, as DSPy does', async () => {
    const broken = fromLangChainTool(
      tool(async () => Promise.reject(new Error('quota')), { name: 'broken', schema: z.object({}) }),
    );
    await expect(broken.call({})).rejects.toThrow('Failed to call LangChain tool broken: quota');
  });

  it('serves a retriever as a search function and as a Retrieve module', async () => {
    const search = fromLangChainRetriever(new Shelf());
    expect(await search('tea', 2)).toEqual(['tea one', 'tea two']);
    const retrieve = new Retrieve(search, { k: 1 });
    expect((await retrieve.forward({ query: 'tea' })).passages).toEqual(['tea one']);
    expect((await retrieve.forward({ query: 'tea' }, { k: 3 })).passages).toHaveLength(3);
    expect(() => fromLangChainTool({} as never)).toThrow(
      expect.objectContaining({ code: 'TOOL_BRIDGE_INPUT' }),
    );
  });
});
