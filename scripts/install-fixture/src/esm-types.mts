// Type-checked as an ES module (module: nodenext): the packages' `import` types resolve.
import { LM, Predict, signature, type Prediction } from '@sigil/core';
import { FakeOpenAIServer } from '@sigil/testing';
import { SigilModule } from '@sigil/nestjs';
import { MIPRO } from '@sigil/optimize';
import { defineTask } from '@sigil/cli';
import type {} from '@sigil/core/internal';

const qa = new Predict(signature('question -> answer'));
export async function ask(server: FakeOpenAIServer): Promise<string> {
  const baseURL = await server.start();
  const out: Prediction<{ answer: string }> = await qa.forward(
    { question: 'q' },
    { lm: new LM('openai/m', { baseURL }) },
  );
  return out.answer;
}
export const loaded = [SigilModule, MIPRO, defineTask];
