/**
 * Optimizing the agent example (`examples/agent`) must not cost the served agent its tools: ReAct's tool
 * list is rendered at prompt time, so MIPRO can only change the task's instruction.
 */
import { context, type Example, type LanguageModel, type Module, type ReAct } from '@sigil/core';
import type { Lazy } from '@sigil/cli';
import { MIPRO } from '@sigil/optimize';
import agentTask from '../../../examples/agent/src/task';

async function resolve<T>(value: Lazy<T>): Promise<T> {
  return typeof value === 'function' ? await (value as () => T | Promise<T>)() : value;
}

describe('the optimized agent example', () => {
  it('still lists every tool in its served prompt after MIPRO changed its instructions', async () => {
    const lm = await resolve(agentTask.lm as Lazy<LanguageModel>);
    const program = (await resolve(agentTask.program)) as Module & { agent?: ReAct };
    const trainset = (await resolve(agentTask.trainset)) as Example[];
    const valset = (await resolve(agentTask.valset!)) as Example[];
    const optimized = await context({ lm }, () =>
      new MIPRO({ metric: agentTask.metric, auto: 'light', seed: 0 }).compile(program, { trainset, valset }),
    );
    const steps = optimized.namedPredictors().filter(([, p]) => p.instructionTemplate !== undefined);
    expect(steps.length).toBeGreaterThan(0);
    // MIPRO did change the step's instruction (the landscape rewards a better one) …
    expect(steps.some(([, step]) => step.instructions !== step.initialSignature.instructions)).toBe(true);
    // … and the served prompt still lists every tool.
    for (const [, step] of steps) {
      const prompt = step.promptSignature().instructions;
      const tools = step.signature.field('next_tool_name')!.type as unknown as { values: string[] };
      for (const tool of tools.values) expect(prompt).toContain(`) ${tool}`);
      expect(prompt).toContain('When providing `next_tool_args`');
    }
    // The instruction MIPRO chose is a task instruction, not a whole prompt without its tools.
    const saved = optimized.dumpState() as Record<string, { signature?: { instructions: string } }>;
    const savedPrompts = Object.values(saved).flatMap((entry) =>
      entry?.signature ? [entry.signature.instructions] : [],
    );
    expect(savedPrompts.some((text) => text.includes('You are an Agent.'))).toBe(true);
  }, 30_000);
});
