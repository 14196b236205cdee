import { context, type LanguageModel, settings, wrapLM } from '@sigil/core';
import type { OptimizerRun } from '../optimizer/run';
import { joinFixedSection, splitFixedSection, toolLines } from './components';
import { extractInstruction, reflectionPrompt, type ReflectiveRecord } from './reflection';

const READ_ONLY = '(Read-only context:';

/**
 * One reflection call: the prompt (the component's current text and the records), the reflection LM's raw
 * reply, and the instruction extracted from it. The LM is called as one user message, through the
 * middlewares in force (the run's budget and meters count it); undefined when the budget refused it. A
 * ReAct tool section is shown as read-only context and put back unchanged after the proposed text.
 */
export async function callReflection(
  run: OptimizerRun,
  lm: LanguageModel,
  current: string,
  records: readonly ReflectiveRecord[],
): Promise<{ prompt: string; reply: string; proposed: string } | undefined> {
  const { task, fixed } = splitFixedSection(current);
  const shown = fixed
    ? `${task}\n\n${READ_ONLY} the assistant can call these tools, listed after the instruction unchanged.)\n` +
      toolLines(fixed).join('\n')
    : current;
  const prompt = reflectionPrompt(shown, records);
  const wrapped = wrapLM(lm, ...(settings().lmMiddleware ?? []));
  const response = await context({ lm }, () => wrapped.call([{ role: 'user', content: prompt }], {}));
  if (run.interrupted) return undefined;
  const reply = response.completions[0]?.text ?? '';
  // A model that echoes the read-only tool list back has not changed it: keep only the task part.
  const extracted = extractInstruction(reply).split(READ_ONLY)[0].trim();
  return { prompt, reply, proposed: extracted ? joinFixedSection(extracted, fixed) : '' };
}
