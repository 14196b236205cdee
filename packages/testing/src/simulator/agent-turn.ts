import type { ReadPrompt } from './prompt-reader';

/** A ReAct turn: the prompt asks for the next tool to call (DSPy's `next_tool_name` / `next_tool_args`). */
export function isAgentTurn(prompt: ReadPrompt): boolean {
  const names = prompt.outputFields.map((f) => f.name);
  return names.includes('next_tool_name') && names.includes('next_tool_args');
}

/**
 * The simulator as an agent: on its first turn it calls the first listed tool whose arguments are all
 * strings, passing the request's first matched (or first) input as each argument; then it calls `finish`.
 */
export function agentTurn(prompt: ReadPrompt, matchOn?: readonly string[]): Record<string, unknown> {
  const toolField = prompt.outputFields.find((f) => f.name === 'next_tool_name');
  const tools = (/^Literal\[(.*)\]$/.exec(toolField?.type ?? '')?.[1] ?? '')
    .split(', ')
    .map((t) => t.replace(/^['"]|['"]$/g, ''))
    .filter(Boolean);
  const turnsTaken = Object.keys(prompt.inputs).filter((k) => /^tool_name_\d+$/.test(k)).length;
  const query = prompt.inputs[matchOn?.[0] ?? ''] ?? Object.values(prompt.inputs)[0] ?? '';
  if (turnsTaken === 0) {
    for (const tool of tools.filter((t) => t !== 'finish')) {
      const args = stringArgsOf(prompt.instructions, tool);
      if (!args) continue;
      return {
        next_thought: `Simulated thought: look the request up with ${tool} first.`,
        next_tool_name: tool,
        next_tool_args: Object.fromEntries(args.map((arg) => [arg, query])),
      };
    }
  }
  return {
    next_thought: 'Simulated thought: the observations so far are all the simulator uses; finishing.',
    next_tool_name: tools.includes('finish') ? 'finish' : (tools[0] ?? 'finish'),
    next_tool_args: {},
  };
}

/** The argument names of `tool` as ReAct lists it (`name, whose description is … It takes arguments {…}.`), when all are strings. */
function stringArgsOf(instructions: string, tool: string): string[] | undefined {
  const line = instructions.split('\n').find((l) => new RegExp(`^\\(\\d+\\) ${tool}[,.]`).test(l));
  const args = /It takes arguments (\{.*\})\.\s*$/.exec(line ?? '')?.[1];
  if (!args) return undefined;
  const names = [...args.matchAll(/'(\w+)': \{([^{}]*)\}/g)];
  if (names.length === 0 || names.some(([, , schema]) => !/'type': 'string'/.test(schema))) return undefined;
  return names.map(([, name]) => name);
}
