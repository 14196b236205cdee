import { context, type LanguageModel, settings, wrapLM } from '@sigil/core';
import type { OptimizerRun } from '../optimizer/run';
import { joinFixedSection, splitFixedSection, toolLines } from './components';
import { extractInstruction, reflectionPrompt, type ReflectiveRecord } from './reflection';

const READ_ONLY = '(Read-only context:';

/**
 * One reflection call: the prompt (the component's current text and the records), the reflection LM's raw
 * reply, and the instruction extracted from it. The LM is called as one user message, through the
 * middlewares in force (the run's budget and meters count it); undefined when the budget refused it. A
 * ReAct step's tools are shown as read-only context (ReAct renders them around the task instruction; an
 * instruction that holds them verbatim gets its tool section back unchanged after the proposed text).
 */
export async function callReflection(
  run: OptimizerRun,
  lm: LanguageModel,
  current: string,
  records: readonly ReflectiveRecord[],
  tools: readonly string[] = [],
): Promise<{ prompt: string; reply: string; proposed: string } | undefined> {
  const { task, fixed } = splitFixedSection(current);
  const lines = fixed ? toolLines(fixed) : tools;
  const shown =
    lines.length > 0
      ? `${task}\n\n${READ_ONLY} the assistant can call these tools, listed after the instruction unchanged.)\n` +
        lines.join('\n')
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
