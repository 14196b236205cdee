/**
 * Cold start: heavy dependencies are required at first real need, not when `@sigil/core` is imported.
 * Each test loads core in an isolated module registry with the dependencies wrapped to record their loading.
 */
import { FakeOpenAIServer } from '@sigil/testing';

const WATCHED = [
  'class-validator',
  'openai',
  '@opentelemetry/api',
  'cli-progress',
  'cli-table3',
  'csv-parse',
];

function loadCoreWatching(): { core: typeof import('@sigil/core'); loaded: Set<string> } {
  const loaded = new Set<string>();
  let core!: typeof import('@sigil/core');
  jest.isolateModules(() => {
    for (const name of WATCHED) {
      jest.doMock(name, () => {
        loaded.add(name);
        return jest.requireActual(name);
      });
    }
    // A fresh copy of core in the isolated registry: jest.isolateModules is synchronous, so no dynamic import().
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    core = require('../src') as typeof import('@sigil/core');
  });
  return { core, loaded };
}

const REPLY = '[[ ## answer ## ]]\nParis\n\n[[ ## completed ## ]]';

describe('lazy dependencies', () => {
  afterEach(() => jest.resetModules());

  it('loads none of the heavy dependencies when @sigil/core is imported', () => {
    const { loaded } = loadCoreWatching();
    expect([...loaded]).toEqual([]);
  });

  it('answers a first prediction without class-validator when no class declares a constraint', async () => {
    const { core, loaded } = loadCoreWatching();
    const lm: import('@sigil/core').LanguageModel = {
      model: 'scripted',
      call: async () => ({
        completions: [{ text: REPLY, finishReason: 'stop' }],
        usage: { promptTokens: 0, completionTokens: 0, cachedTokens: 0, totalTokens: 0 },
        cost: 0,
        model: 'scripted',
        cached: false,
        durationMs: 0,
      }),
    };
    const predict = new core.Predict(core.signature('question -> answer'), { lm });
    expect((await predict.forward({ question: 'Capital of France?' })).answer).toBe('Paris');
    expect(loaded.has('class-validator')).toBe(false);
    expect(loaded.has('openai')).toBe(false);
  });

  it('loads openai at the first LM request, not when the LM is constructed', async () => {
    const server = new FakeOpenAIServer({ reply: REPLY });
    const baseURL = await server.start();
    try {
      const { core, loaded } = loadCoreWatching();
      const lm = new core.LM('openai/gpt-4o-mini', { baseURL, apiKey: 'sk-test', cache: 'off' });
      expect(loaded.has('openai')).toBe(false);
      const answer = await lm.call([{ role: 'user', content: 'Capital of France?' }]);
      expect(answer.completions[0].text).toBe(REPLY);
      expect(loaded.has('openai')).toBe(true);
    } finally {
      await server.stop();
    }
  });
});
