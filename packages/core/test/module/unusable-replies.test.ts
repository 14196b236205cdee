import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AdapterParseError, LM, Predict, signature } from '@sigil/core';
import { FakeOpenAIServer } from '@sigil/testing';

describe('replies a predictor cannot use', () => {
  let server: FakeOpenAIServer;
  let baseURL: string;
  let good = false;
  beforeAll(async () => {
    server = new FakeOpenAIServer({
      reply: () => (good ? '[[ ## answer ## ]]\nParis\n\n[[ ## completed ## ]]' : 'I would rather not say.'),
    });
    baseURL = await server.start();
  });
  afterAll(() => server.stop());

  const files = (dir: string): string[] =>
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((f) => f.isFile())
      .map((f) => f.name);

  it('are never cached as good: the same request reaches the endpoint again, in memory and on disk', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sigil-unusable-'));
    const lm = new LM('openai/m', { baseURL, apiKey: 'k', cache: { dir } });
    const predict = new Predict(signature('question -> answer'), { lm, maxRetries: 1 });
    await expect(predict.forward({ question: 'Capital of France?' })).rejects.toBeInstanceOf(
      AdapterParseError,
    );
    await lm.cache.flush();
    const failed = server.chatRequests.length;
    expect(failed).toBeGreaterThan(1);
    expect(files(dir)).toEqual([]);
    good = true;
    const again = new LM('openai/m', { baseURL, apiKey: 'k', cache: { dir } });
    const answer = await new Predict(signature('question -> answer'), { lm: again }).forward({
      question: 'Capital of France?',
    });
    expect(answer.answer).toBe('Paris');
    expect(server.chatRequests.length).toBe(failed + 1);
    await again.cache.flush();
    expect(files(dir)).toHaveLength(1);
  });
});
