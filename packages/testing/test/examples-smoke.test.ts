/**
 * Smoke tests of the examples (`examples/quickstart`, `examples/rag`, `examples/agent`): each task file
 * loads, and its program runs a small evaluation against the offline simulator. No optimization here —
 * the examples' own `npm start` shows that.
 */
import { context, Evaluate, type Example, type LanguageModel, type Module } from '@sigil/core';
import type { Lazy, TaskDefinition } from '@sigil/cli';
import { TaskSimulator } from '@sigil/testing';
import quickstartTask from '../../../examples/quickstart/src/task';
import ragTask from '../../../examples/rag/src/task';
import agentTask from '../../../examples/agent/src/task';
import { evaluateArithmetic, calculatorTool } from '../../../examples/agent/src/calculator';
import { corpus } from '../../../examples/rag/src/corpus';

async function resolve<T>(value: Lazy<T>): Promise<T> {
  return typeof value === 'function' ? await (value as () => T | Promise<T>)() : value;
}

interface SmokeRun {
  lm: LanguageModel;
  score: number;
  errors: number;
  program: Module;
  valset: readonly Example[];
}

/** Evaluates the task's program on the first `count` validation examples with the task's own LM. */
async function smoke(task: TaskDefinition, count = 8): Promise<SmokeRun> {
  const lm = await resolve(task.lm!);
  const program = await resolve(task.program);
  const valset = (await resolve(task.valset ?? task.trainset)).slice(0, count);
  expect((await resolve(task.trainset)).length).toBeGreaterThan(0);
  const report = await context({ lm }, () =>
    new Evaluate({ devset: valset, metric: task.metric, progress: false }).run(program),
  );
  return {
    lm,
    score: report.score,
    errors: report.results.filter((r) => r.error !== undefined).length,
    program,
    valset,
  };
}

describe('examples against the offline simulator', () => {
  const saved = process.env.SIGIL_LM;
  beforeAll(() => delete process.env.SIGIL_LM);
  afterAll(() => {
    if (saved !== undefined) process.env.SIGIL_LM = saved;
  });

  it('quickstart: classifies reviews with the task simulator', async () => {
    const run = await smoke(quickstartTask);
    expect(run.lm).toBeInstanceOf(TaskSimulator);
    expect(run.errors).toBe(0);
    expect(run.score).toBeGreaterThan(0);
  });

  it('rag: retrieves top-k passages with MiniSearch and answers with ChainOfThought', async () => {
    const run = await smoke(ragTask);
    expect(run.lm).toBeInstanceOf(TaskSimulator);
    expect(run.errors).toBe(0);
    expect(run.score).toBeGreaterThan(0);
    expect(run.program.parameters().find((p) => p.kind === 'param')?.path).toBe('k');
    expect(corpus().search('Who made the first map of the islands?', 2)[0]).toMatch(/^Ada Venn:/);
  });

  it('agent: searches the corpus, finishes, and answers', async () => {
    const run = await smoke(agentTask, 4);
    expect(run.lm).toBeInstanceOf(TaskSimulator);
    expect(run.errors).toBe(0);
    const agent = run.program as unknown as {
      forward(inputs: { question: string }): Promise<{ trajectory: Record<string, unknown> }>;
    };
    const question = String(run.valset[0].question);
    const { trajectory } = await context({ lm: run.lm }, () => agent.forward({ question }));
    expect(trajectory.tool_name_0).toBe('search_corpus');
    expect(trajectory.tool_name_1).toBe('finish');
  });

  it('agent: the calculator evaluates arithmetic without eval and rejects anything else', async () => {
    expect(evaluateArithmetic('(1703 - 1312) * 2 ^ 2 / 4')).toBe(391);
    expect(evaluateArithmetic('-3 + 24,000')).toBe(23997);
    expect(() => evaluateArithmetic('process.exit(1)')).toThrow(/cannot read/);
    expect(() => evaluateArithmetic('1 / 0')).toThrow(/division by zero/);
    expect(() => evaluateArithmetic('(1 + 2')).toThrow(/expected "\)"/);
    expect(await calculatorTool.call({ expression: '7 / 2' })).toBe('3.5');
  });
});
