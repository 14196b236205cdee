import 'reflect-metadata';
import { LM, ReAct, signature } from '@sigil/core';
import { startModel } from '../../../../examples/native-tools/src/model';
import { packingAdvice, weather } from '../../../../examples/native-tools/src/tools';

describe('examples/native-tools', () => {
  it('plans with parallel native tool calls, then submits the answer', async () => {
    const server = await startModel();
    try {
      const lm = new LM('openai/tool-model', { baseURL: server.baseURL, apiKey: 'k', cache: false });
      const agent = new ReAct(signature('question -> answer'), {
        tools: [weather, packingAdvice],
        toolCalling: 'native',
        lm,
      });
      const out = await agent.forward({ question: 'Visiting Oslo and Lima. What to pack?' });
      expect(out.answer).toBe('Oslo 4/6/5 °C, Lima 17/17/18 °C; pack a warm coat.');
      expect(out.history.messages).toHaveLength(3);
      expect(server.chatRequests[0].body.tools[0].function.parameters.required).toEqual(['city', 'days']);
    } finally {
      await server.stop();
    }
  });
});
