import {
  type ChatMessage,
  context,
  type LanguageModel,
  type LMResponse,
  ReAct,
  signature,
  Tool,
} from '@sigil/core';
import { GEPA, reportOf } from '@sigil/optimize';
import { readPrompt } from '@sigil/testing';
import { keyedExamples, metric, QueueLM } from '../support/gepa-harness';

/**
 * The agent's LM: it looks the question up (and so answers right) only when the task instruction in front
 * of ReAct's tool section says `ALL`; the extract step answers with what the lookup returned.
 */
class AgentLM implements LanguageModel {
  readonly model = 'agent-lm';
  async call(messages: ChatMessage[]): Promise<LMResponse> {
    const prompt = readPrompt(messages);
    const outputs = prompt.outputFields.map((f) => f.name);
    let fields: Record<string, string>;
    if (outputs.includes('next_tool_name')) {
      const first = !('tool_name_0' in prompt.inputs) && !/tool_name_0/.test(prompt.inputs.trajectory ?? '');
      const look = first && prompt.instructions.split(/\s+/).includes('ALL');
      fields = look
        ? {
            next_thought: 'Look it up.',
            next_tool_name: 'lookup',
            next_tool_args: JSON.stringify({ query: prompt.inputs.question }),
          }
        : { next_thought: 'Done.', next_tool_name: 'finish', next_tool_args: '{}' };
    } else {
      // The trajectory's own [[ ## … ## ]] markers make its steps read back as separate inputs.
      const found = /\ba\d+\b/.exec(Object.values(prompt.inputs).join('\n'));
      fields = { reasoning: 'From the trajectory.', answer: found ? found[0] : 'unknown' };
    }
    const text = Object.entries(fields)
      .map(([k, v]) => `[[ ## ${k} ## ]]\n${v}`)
      .join('\n\n');
    return {
      completions: [{ text: `${text}\n\n[[ ## completed ## ]]`, finishReason: 'stop' }],
      usage: { promptTokens: 1, completionTokens: 1, cachedTokens: 0, totalTokens: 2 },
      cost: 0,
      model: this.model,
      cached: false,
      durationMs: 0,
    };
  }
}

describe('GEPA on a ReAct agent', () => {
  it('keeps every tool line in the react prompt after an accepted mutation, and the tools still work', async () => {
    let lookups = 0;
    const lookup = new Tool(
      ({ query }: { query: string }) => {
        lookups++;
        return String(query).replace(/^q/, 'a');
      },
      { name: 'lookup', desc: 'Finds the answer to a question.', args: { query: { type: 'string' } } },
    );
    const agent = new ReAct(signature('question -> answer', 'Answer the question.'), { tools: [lookup] });
    // ReAct renders its tool list around the learnable task instruction at prompt time.
    expect(agent.react.instructions).toBe('Answer the question.');
    const before = agent.react.promptSignature().instructions;
    const toolLines = before.split('\n').filter((line) => /^\(\d+\) /.test(line));
    expect(toolLines).toHaveLength(2);
    // The reflection LM drops the tools altogether: GEPA must put them back.
    const reflection = new QueueLM(['Look up ALL questions before answering.']);
    const gepa = new GEPA({ metric, maxMetricCalls: 30, reflectionLM: reflection, useMerge: false });
    const data = { trainset: keyedExamples(0, 6), valset: keyedExamples(100, 6) };
    const optimized = await context({ lm: new AgentLM() }, () => gepa.compile(agent, data));
    const report = reportOf(optimized)!.gepa!;
    expect(report.proposals[0]).toMatchObject({ status: 'accepted', components: ['react'] });
    expect(reflection.prompts[0]).toContain('(Read-only context: the assistant can call these tools');
    expect(reflection.prompts[0]).toContain(toolLines[0]);

    expect((optimized as ReAct).react.instructions).toBe('Look up ALL questions before answering.');
    const served = (optimized as ReAct).react.promptSignature().instructions;
    expect(served.startsWith('Look up ALL questions before answering.\n\nYou are an Agent.')).toBe(true);
    for (const line of toolLines) expect(served).toContain(line);
    expect(served.endsWith(before.slice(before.indexOf('You are an Agent.')))).toBe(true);
    lookups = 0;
    const out = await context({ lm: new AgentLM() }, () => (optimized as ReAct).forward({ question: 'q7' }));
    expect(out.answer).toBe('a7');
    expect(lookups).toBe(1);
  });
});

describe('GEPA on a ReAct instruction loaded verbatim (another rendering that holds the tool section)', () => {
  it('splits off the agent section, shows its tools read-only, and puts it back unchanged', async () => {
    const { joinFixedSection, splitFixedSection, toolLines } = await import('../../src/gepa/components');
    const text =
      'Answer the question.\n\nYou are an Agent. In each episode, you will be given the fields `question` as input.\n' +
      '(1) lookup, whose description is <desc>Finds it.</desc>.\n(2) finish, whose description is <desc>Done.</desc>.';
    const { task, fixed } = splitFixedSection(text);
    expect(task).toBe('Answer the question.');
    expect(toolLines(fixed!)).toHaveLength(2);
    expect(joinFixedSection('New task.', fixed)).toBe(`New task.\n\n${fixed}`);
    expect(splitFixedSection('Plain instruction.')).toEqual({ task: 'Plain instruction.' });
  });
});
