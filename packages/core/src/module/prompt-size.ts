/**
 * A warning, once per predictor, when a prompt is far larger than any context window takes: thousands of
 * demos or tools send megabytes on every call (and pay for them) long before the provider refuses.
 */
import type { ChatMessage } from '../lm/types';
import { logWarning } from '../logging/log';

/** Characters of prompt over which a predictor warns, unless `settings().largePromptChars` says otherwise. */
export const DEFAULT_LARGE_PROMPT_CHARS = 400_000;

const warned = new WeakSet<object>();
const count = (n: number) => n.toLocaleString('en-US');

/**
 * Warns (`SIGIL_LARGE_PROMPT`) the first time `owner`'s prompt exceeds `limit` characters, saying how
 * large it is and which part — system message, demos, inputs — makes it so.
 */
export function warnIfLargePrompt(
  owner: object,
  name: string,
  messages: readonly ChatMessage[],
  demos: number,
  limit: number | false = DEFAULT_LARGE_PROMPT_CHARS,
): void {
  if (limit === false || warned.has(owner)) return;
  let total = 0;
  for (const message of messages) total += message.content?.length ?? 0;
  if (total <= limit) return;
  warned.add(owner);
  let system = 0;
  for (const message of messages) if (message.role === 'system') system += message.content?.length ?? 0;
  const inputs = messages.length > 0 ? (messages[messages.length - 1].content?.length ?? 0) : 0;
  const demoChars = Math.max(0, total - system - inputs);
  logWarning(
    'SIGIL_LARGE_PROMPT',
    `${name}: the prompt is ${count(total)} characters (about ${count(Math.round(total / 4))} tokens), over ` +
      `the ${count(limit)} that warn: the system message (instructions, field descriptions, ReAct's tool list) ` +
      `is ${count(system)}, ${count(demos)} demos make ${count(demoChars)}, the inputs ${count(inputs)}. ` +
      'Every call sends and pays for all of it: use fewer demos or tools, or shorter instructions. ' +
      'The setting largePromptChars changes the limit (false: never warn).',
  );
}
