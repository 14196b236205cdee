// An ES module using the installed packages: string signature + Predict + LM against the fake server.
// It also proves that `import` and `require` see one instance of each package (no dual-package hazard).
import { createRequire } from 'node:module';
import { LM, Predict, SigilError, configure, settings, signature } from '@sigil/core';
import { FakeOpenAIServer } from '@sigil/testing';

const require = createRequire(import.meta.url);
const cjs = require('@sigil/core');
if (cjs.SigilError !== SigilError || cjs.Predict !== Predict)
  throw new Error('import and require load two copies');

const server = new FakeOpenAIServer({ reply: '[[ ## answer ## ]]\nRome\n\n[[ ## completed ## ]]' });
const baseURL = await server.start();
try {
  const lm = new LM('openai/fake-model', { baseURL, apiKey: 'sk-test', cache: false });
  configure({ lm });
  // The settings configured through the ES-module door are the ones the CommonJS module reads.
  if (cjs.settings().lm !== lm || settings().lm !== lm)
    throw new Error('settings differ between import and require');
  const { answer } = await new Predict(signature('question -> answer')).forward({
    question: 'Capital of Italy?',
  });
  if (answer !== 'Rome') throw new Error(`expected Rome, got ${JSON.stringify(answer)}`);
  console.log(`esm ok: ${answer}`);
} finally {
  await server.stop();
}
