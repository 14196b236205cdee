/**
 * A CommonJS TypeScript program using the installed packages: a decorated signature, Predict and the LM
 * client against the loopback FakeOpenAIServer. It also type-checks names from the other packages.
 */
import 'reflect-metadata';
import { Input, LM, Output, Predict, SigilError, Signature, configure } from '@sigil/core';
import type { SigilModuleOptions } from '@sigil/nestjs';
import { FakeOpenAIServer, ScriptedLM } from '@sigil/testing';
import { LabeledFewShot } from '@sigil/optimize';
import { defineTask } from '@sigil/cli';

@Signature('Answer the question in one word.')
class QA {
  @Input() question!: string;
  @Output() answer!: string;
}

async function main(): Promise<void> {
  const server = new FakeOpenAIServer({ reply: '[[ ## answer ## ]]\nParis\n\n[[ ## completed ## ]]' });
  const baseURL = await server.start();
  try {
    configure({ lm: new LM('openai/fake-model', { baseURL, apiKey: 'sk-test', cache: false }) });
    const { answer } = await new Predict(QA).forward({ question: 'Capital of France?' });
    if (answer !== 'Paris') throw new Error(`expected Paris, got ${JSON.stringify(answer)}`);
    const sent = server.requests[0].body as { messages: { role: string; content: string }[] };
    if (!sent.messages[0].content.includes('Answer the question in one word.'))
      throw new Error('no instructions');
    // The other packages load and their types resolve.
    const options: SigilModuleOptions = { lm: new ScriptedLM([]) };
    if (typeof LabeledFewShot !== 'function' || typeof defineTask !== 'function' || !options.lm) {
      throw new Error('a package export is missing');
    }
    const error = new SigilError('test', { code: 'TEST' });
    if (!SigilError.isInstance(error) || error.code !== 'TEST') throw new Error('SigilError');
    console.log(`cjs ok: ${answer}`);
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
