import { type ChatMessage, contentText } from '@sigil/core';
import { ScriptedLM } from '@sigil/testing';

/** A reply in ChatAdapter's format. */
export function chatReply(fields: Record<string, unknown>): string {
  const blocks = Object.entries(fields).map(
    ([name, value]) => `[[ ## ${name} ## ]]\n${typeof value === 'string' ? value : JSON.stringify(value)}`,
  );
  return `${blocks.join('\n\n')}\n\n[[ ## completed ## ]]`;
}

/** Plays ReAct: the given tool calls in order, then finish, then an answer taken from the last observation. */
export function agentLM(calls: { tool: string; args: Record<string, unknown> }[]): ScriptedLM {
  let i = 0;
  return new ScriptedLM((messages: ChatMessage[]) => {
    const system = contentText(messages[0].content);
    if (system.includes('next_thought')) {
      const call = calls[i++] ?? { tool: 'finish', args: {} };
      return chatReply({
        next_thought: `use ${call.tool}`,
        next_tool_name: call.tool,
        next_tool_args: call.args,
      });
    }
    return chatReply({ reasoning: 'read the trajectory', answer: 'Ada Venn' });
  });
}

/** The `trajectory` input of the last call, as the model saw it. */
export function lastTrajectory(lm: ScriptedLM): string {
  return contentText(lm.calls.at(-1)!.messages.at(-1)!.content);
}
