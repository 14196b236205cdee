import { LM } from '@sigil/core';
import { MemoryStream, run } from './support/run-cli';

async function waitFor(stream: MemoryStream, pattern: RegExp): Promise<RegExpMatchArray> {
  for (let i = 0; i < 200; i++) {
    const match = pattern.exec(stream.text);
    if (match) return match;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`Timed out waiting for ${pattern}; output so far:\n${stream.text}`);
}

describe('sigil sim', () => {
  it('serves the task simulator on 127.0.0.1 until stopped, labelled as a simulator', async () => {
    const stdout = new MemoryStream();
    const controller = new AbortController();
    const exit = run(['sim', 'sentiment.task.ts', '--port', '0'], { stdout, signal: controller.signal });
    const [, url] = await waitFor(stdout, /Listening at (http:\/\/127\.0\.0\.1:\d+\/v1)/);
    expect(stdout.text).toContain('a simulator, not a model');
    expect(stdout.text).toContain(`export OPENAI_BASE_URL=${url}`);

    const lm = new LM('openai/sigil-simulator', { baseURL: url, cache: false });
    const response = await lm.call([
      { role: 'system', content: 'Your output fields are:\n1. `label` (str):' },
      { role: 'user', content: '[[ ## review ## ]]\nGreat backpack, roomy and comfortable.' },
    ]);
    expect(response.completions[0].text).toContain('[[ ## label ## ]]');

    controller.abort();
    const result = await exit;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Stopped after 1 requests.');
  });

  it('rejects a port that is not a number', async () => {
    const result = await run(['sim', 'sentiment.task.ts', '--port', 'http']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("option '--port <n>' argument 'http' is invalid");
  });
});
