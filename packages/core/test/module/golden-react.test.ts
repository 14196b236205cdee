import 'reflect-metadata';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ReAct, signature, Tool, type ChatMessage } from '@sigil/core';
import { ScriptedLM } from '@sigil/testing';
import { chatReply, systemOf } from './replies';

/**
 * Loads DSPy 3.0's saved ReAct program into the equivalent Sigil program and checks the messages it then
 * sends. Expected strings are written from DSPy's ChatAdapter format (spec/chat-adapter.md), not from Sigil.
 */
const goldenDir = process.env.SIGIL_GOLDEN_DIR
  ? resolve(process.env.SIGIL_GOLDEN_DIR)
  : resolve(__dirname, '../golden');
const savedPath = join(goldenDir, 'saved-program-react.json');
// SIGIL_GOLDEN_DIR may name a folder of wire cases only: then there is no ReAct program to load.
const hasProgram = existsSync(savedPath);
const saved = hasProgram ? JSON.parse(readFileSync(savedPath, 'utf8')) : { react: {}, 'extract.predict': {} };
const reactState = saved.react;
const extractState = saved['extract.predict'];
const [reactDemo] = reactState.demos ?? [];
const [extractDemo, extractLabelled] = extractState.demos ?? [];

const search = new Tool(
  async ({ query }: { query: string }) => [`${query} | Paris is the capital of France.`],
  {
    name: 'search_wikipedia',
    args: { query: { type: 'string' } },
  },
);

/** DSPy's objective: each instruction line after a newline and 8 spaces. */
const objective = (instructions: string) =>
  `In adhering to this structure, your objective is: ${instructions
    .split('\n')
    .map((line) => `\n        ${line}`)
    .join('')}`;

const reactSystem = [
  'Your input fields are:',
  '1. `question` (str): ',
  '2. `trajectory` (str):',
  'Your output fields are:',
  '1. `next_thought` (str): ',
  "2. `next_tool_name` (Literal['search_wikipedia', 'finish']): ",
  '3. `next_tool_args` (dict[str, Any]):',
  'All interactions will be structured in the following way, with the appropriate values filled in.',
  '',
  '[[ ## question ## ]]',
  '{question}',
  '',
  '[[ ## trajectory ## ]]',
  '{trajectory}',
  '',
  '[[ ## next_thought ## ]]',
  '{next_thought}',
  '',
  '[[ ## next_tool_name ## ]]',
  '{next_tool_name}        # note: the value you produce must exactly match (no extra characters) one of: search_wikipedia; finish',
  '',
  '[[ ## next_tool_args ## ]]',
  '{next_tool_args}        # note: the value you produce must adhere to the JSON schema: {"type": "object", "additionalProperties": true}',
  '',
  '[[ ## completed ## ]]',
  objective(reactState.signature?.instructions ?? ''),
].join('\n');

const reactRequirement =
  'Respond with the corresponding output fields, starting with the field `[[ ## next_thought ## ]]`, then ' +
  "`[[ ## next_tool_name ## ]]` (must be formatted as a valid Python Literal['search_wikipedia', 'finish']), then " +
  '`[[ ## next_tool_args ## ]]` (must be formatted as a valid Python dict[str, Any]), and then ending with the marker for `[[ ## completed ## ]]`.';

const QUESTION = 'What is the capital of France?';
const OBSERVATION = '«capital of France | Paris is the capital of France.»';
const TRAJECTORY =
  '[[ ## thought_0 ## ]]\nI should search.\n\n[[ ## tool_name_0 ## ]]\nsearch_wikipedia\n\n' +
  `[[ ## tool_args_0 ## ]]\n{"query": "capital of France"}\n\n[[ ## observation_0 ## ]]\n${OBSERVATION}\n\n` +
  '[[ ## thought_1 ## ]]\nI know it.\n\n[[ ## tool_name_1 ## ]]\nfinish\n\n[[ ## tool_args_1 ## ]]\n{}\n\n' +
  '[[ ## observation_1 ## ]]\nCompleted.';

async function runLoaded() {
  const agent = new ReAct(signature('question -> answer'), { tools: [search] });
  agent.loadState(saved);
  const turns = [
    chatReply({
      next_thought: 'I should search.',
      next_tool_name: 'search_wikipedia',
      next_tool_args: { query: 'capital of France' },
    }),
    chatReply({ next_thought: 'I know it.', next_tool_name: 'finish', next_tool_args: {} }),
    chatReply({ reasoning: 'The search says Paris.', answer: 'Paris' }),
  ];
  const lm = new ScriptedLM(turns);
  const out = await agent.forward({ question: QUESTION }, { lm });
  return { agent, lm, out, calls: lm.calls.map((c) => c.messages) };
}

const describeProgram = hasProgram ? describe : describe.skip;
if (!hasProgram) {
  describe(`DSPy saved ReAct program: ${goldenDir} has no saved-program-react.json`, () => {
    it.skip('skips the saved-program checks (no ReAct program in SIGIL_GOLDEN_DIR)', () => undefined);
  });
}

describeProgram('DSPy saved ReAct program (saved-program-react.json)', () => {
  it('loads into ReAct(question -> answer) with its instructions, demos and the reasoning prefix', async () => {
    const { agent } = await runLoaded();
    expect(agent.react.instructions).toBe(reactState.signature.instructions);
    expect(agent.react.demos).toHaveLength(2);
    expect(agent.extract.predict.instructions).toBe(
      'Given the very verbose fields `question`, produce the fields `answer`.',
    );
    expect(agent.extract.predict.signature.field('reasoning')).toMatchObject({
      prefix: "Reasoning: Let's think step by step in order to",
      desc: undefined,
    });
    expect(agent.extract.predict.demos).toHaveLength(2);
  });

  it('sends DSPy’s react messages: loaded instructions, the bootstrapped demo, then the question', async () => {
    const { calls } = await runLoaded();
    const first = calls[0];
    const expected: ChatMessage[] = [
      { role: 'system', content: reactSystem },
      // The labelled demo {question, answer} has no react output, so DSPy drops it.
      {
        role: 'user',
        content: `[[ ## question ## ]]\n${reactDemo.question}\n\n[[ ## trajectory ## ]]\n${reactDemo.trajectory}`,
      },
      {
        role: 'assistant',
        content:
          `[[ ## next_thought ## ]]\n${reactDemo.next_thought}\n\n[[ ## next_tool_name ## ]]\nfinish\n\n` +
          '[[ ## next_tool_args ## ]]\n{}\n\n[[ ## completed ## ]]\n',
      },
      {
        role: 'user',
        content: `[[ ## question ## ]]\n${QUESTION}\n\n[[ ## trajectory ## ]]\n\n\n${reactRequirement}`,
      },
    ];
    expect(first.slice(1)).toEqual(expected.slice(1));
  });

  it('sends DSPy’s react system message byte for byte', async () => {
    const { calls } = await runLoaded();
    expect(systemOf(calls[0])).toBe(reactSystem);
  });

  it('formats the trajectory as DSPy does in the next turn', async () => {
    const { calls } = await runLoaded();
    expect(calls[1].at(-1)!.content).toBe(
      `[[ ## question ## ]]\n${QUESTION}\n\n[[ ## trajectory ## ]]\n[[ ## thought_0 ## ]]\nI should search.\n\n` +
        '[[ ## tool_name_0 ## ]]\nsearch_wikipedia\n\n[[ ## tool_args_0 ## ]]\n{"query": "capital of France"}\n\n' +
        `[[ ## observation_0 ## ]]\n${OBSERVATION}\n\n${reactRequirement}`,
    );
  });

  it('sends DSPy’s extract messages: loaded instructions, incomplete demo first, then the trajectory', async () => {
    const { calls, out } = await runLoaded();
    const extract = calls[2];
    expect(extract[0]).toEqual({
      role: 'system',
      content: [
        'Your input fields are:',
        '1. `question` (str): ',
        '2. `trajectory` (str):',
        'Your output fields are:',
        '1. `reasoning` (str): ',
        '2. `answer` (str):',
        'All interactions will be structured in the following way, with the appropriate values filled in.',
        '',
        '[[ ## question ## ]]',
        '{question}',
        '',
        '[[ ## trajectory ## ]]',
        '{trajectory}',
        '',
        '[[ ## reasoning ## ]]',
        '{reasoning}',
        '',
        '[[ ## answer ## ]]',
        '{answer}',
        '',
        '[[ ## completed ## ]]',
        objective(extractState.signature.instructions),
      ].join('\n'),
    });
    expect(extract.slice(1)).toEqual([
      {
        role: 'user',
        content:
          'This is an example of the task, though some input or output fields are not supplied.\n\n' +
          `[[ ## question ## ]]\n${extractLabelled.question}`,
      },
      {
        role: 'assistant',
        // DSPy's missing-field text ends in a space, which survives in a field that is not last.
        content: `[[ ## reasoning ## ]]\nNot supplied for this particular example. \n\n[[ ## answer ## ]]\nyes\n\n[[ ## completed ## ]]\n`,
      },
      {
        role: 'user',
        content: `[[ ## question ## ]]\n${extractDemo.question}\n\n[[ ## trajectory ## ]]\n${extractDemo.trajectory}`,
      },
      {
        role: 'assistant',
        content: `[[ ## reasoning ## ]]\n${extractDemo.reasoning}\n\n[[ ## answer ## ]]\n${extractDemo.answer}\n\n[[ ## completed ## ]]\n`,
      },
      {
        role: 'user',
        content:
          `[[ ## question ## ]]\n${QUESTION}\n\n[[ ## trajectory ## ]]\n${TRAJECTORY}\n\n` +
          'Respond with the corresponding output fields, starting with the field `[[ ## reasoning ## ]]`, then `[[ ## answer ## ]]`, and then ending with the marker for `[[ ## completed ## ]]`.',
      },
    ]);
    expect(out.answer).toBe('Paris');
  });
});
