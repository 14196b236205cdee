import { ChatAdapter, LM, signature } from '@sigil/core';
import { serveSimulator, TaskSimulator } from '@sigil/testing';

const items = [
  { inputs: { question: 'What is 2 + 2?' }, answers: { answer: '4' } },
  { inputs: { question: 'Capital of France?' }, answers: { answer: 'Paris' } },
];

describe('serveSimulator', () => {
  const qa = signature('question -> answer');
  const messages = new ChatAdapter().format(qa, [], { question: 'Capital of France?' });

  it('answers chat completions over HTTP as the simulator does in-process', async () => {
    const simulator = new TaskSimulator({ items, seed: 5 });
    const served = await serveSimulator(simulator);
    try {
      expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
      const lm = new LM('openai/sigil-simulator', { baseURL: served.url, cache: false });
      const response = await lm.call(messages);
      expect(response.completions[0].text).toBe(new TaskSimulator({ items, seed: 5 }).reply(messages));
      expect(response.usage.promptTokens).toBeGreaterThan(0);
      expect(served.requests).toBe(1);
    } finally {
      await served.stop();
    }
  });

  it('streams, lists its model and answers unknown routes with an OpenAI-shaped 404', async () => {
    const served = await serveSimulator(new TaskSimulator({ items }));
    try {
      const lm = new LM('openai/sigil-simulator', { baseURL: served.url, cache: false });
      let text = '';
      for await (const event of lm.stream(messages)) if (event.type === 'delta') text += event.text;
      expect(text).toContain('[[ ## answer ## ]]');

      const models = (await (await fetch(`${served.url}/models`)).json()) as { data: { id: string }[] };
      expect(models.data[0].id).toBe('sigil-simulator');
      const missing = await fetch(`${served.url}/completions`, { method: 'POST', body: '{}' });
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as { error: { message: string } }).error.message).toContain(
        'POST /v1/chat/completions',
      );
      const bad = await fetch(`${served.url}/chat/completions`, { method: 'POST', body: 'not json' });
      expect(bad.status).toBe(400);
    } finally {
      await served.stop();
    }
  });

  it('listens on the port asked for', async () => {
    const probe = await serveSimulator(new TaskSimulator({ items }));
    const port = probe.port;
    await probe.stop();
    const served = await serveSimulator(new TaskSimulator({ items }), { port });
    try {
      expect(served.url).toBe(`http://127.0.0.1:${port}/v1`);
    } finally {
      await served.stop();
    }
  });
});
