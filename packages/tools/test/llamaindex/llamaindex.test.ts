// LlamaIndex.TS is not installed here (its @types/node 24 would clash with the repository's 20): these
// tests use objects of the shape LlamaIndex's FunctionTool and retrievers have.
import { fromLlamaIndexRetriever, fromLlamaIndexTool, Retrieve } from '@sigil/tools';

describe('LlamaIndex.TS bridges (objects of LlamaIndex’s shape)', () => {
  it('turns a FunctionTool-shaped tool into a Sigil tool with its JSON-schema parameters', async () => {
    const functionTool = {
      metadata: {
        name: 'sum_numbers',
        description: 'Adds two numbers.',
        parameters: {
          type: 'object',
          properties: { a: { type: 'number' }, b: { type: 'number' } },
          required: ['a', 'b'],
        },
      },
      call: ({ a, b }: { a: number; b: number }) => a + b,
    };
    const converted = fromLlamaIndexTool(functionTool);
    expect([converted.name, converted.desc, converted.required]).toEqual([
      'sum_numbers',
      'Adds two numbers.',
      ['a', 'b'],
    ]);
    expect(await converted.call({ a: 2, b: 3 })).toBe(5);
    await expect(converted.call({ a: 2 })).rejects.toThrow(/missing required arg\(s\): b/);
  });

  it('reads node texts (metadata left out) from a retriever, for a Retrieve module', async () => {
    const retriever = {
      retrieve: async ({ query }: { query: string } | any) =>
        [1, 2].map((n) => ({
          node: { getContent: (mode: string) => `${query} ${n} (${mode})` },
          score: 1 / n,
        })),
    };
    const retrieve = new Retrieve(fromLlamaIndexRetriever(retriever), { k: 1 });
    expect((await retrieve.forward({ query: 'tide' })).passages).toEqual(['tide 1 (NONE)']);
    expect(() => fromLlamaIndexRetriever({} as never)).toThrow(
      expect.objectContaining({ code: 'TOOL_BRIDGE_INPUT' }),
    );
  });
});
