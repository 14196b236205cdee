import 'reflect-metadata';
import {
  BestOfN,
  Embedder,
  Evaluate,
  InvalidOptionError,
  LM,
  Parallel,
  Predict,
  ReAct,
  Refine,
  signature,
} from '@sigil/core';
import { Scheduler } from '@sigil/core/internal';
import { ScriptedLM } from '@sigil/testing';

const qa = signature('question -> answer');
const reply =
  '[[ ## next_thought ## ]]\nt\n\n[[ ## next_tool_name ## ]]\nfinish\n\n[[ ## next_tool_args ## ]]\n{}\n\n[[ ## reasoning ## ]]\nr\n\n[[ ## answer ## ]]\na\n\n[[ ## completed ## ]]';
const scripted = () => new ScriptedLM(() => reply, { cycle: true });
const lm = (options: ConstructorParameters<typeof LM>[1]) =>
  new LM('openai/m', { baseURL: 'http://127.0.0.1:9/v1', cache: false, ...options });

/** The InvalidOptionError `run` throws (or rejects with), or a failure naming what happened instead. */
async function invalidOption(run: () => unknown): Promise<InvalidOptionError> {
  let caught: unknown;
  try {
    await run();
  } catch (error) {
    caught = error;
  }
  if (!(caught instanceof InvalidOptionError)) {
    throw new Error(
      `expected an InvalidOptionError, got ${caught === undefined ? 'no error' : String(caught)}`,
    );
  }
  return caught;
}

describe('numeric options are validated, naming the option (issue 16, F16)', () => {
  const cases: [string, string, () => unknown][] = [
    [
      'per-call maxIters: -1',
      'maxIters',
      () => new ReAct(qa, { tools: [], lm: scripted() }).forward({ question: 'q' }, { maxIters: -1 }),
    ],
    ['ReAct maxIters: 1.5', 'maxIters', () => new ReAct(qa, { tools: [], maxIters: 1.5 })],
    ['LM maxConcurrency: 0', 'maxConcurrency', () => lm({ maxConcurrency: 0 })],
    ['LM temperature: -1', 'temperature', () => lm({ temperature: -1 })],
    ['LM maxTokens: 0', 'maxTokens', () => lm({ maxTokens: 0 })],
    ['LM topP: 2', 'topP', () => lm({ topP: 2 })],
    ['LM n: NaN', 'n', () => lm({ n: Number.NaN })],
    ['LM timeoutMs: -5', 'timeoutMs', () => lm({ timeoutMs: -5 })],
    ['LM requestsPerMinute: 0', 'requestsPerMinute', () => lm({ requestsPerMinute: -1 })],
    ['LM historySize: -1', 'historySize', () => lm({ historySize: -1 })],
    ['LM retry.maxAttempts: 0', 'retry.maxAttempts', () => lm({ retry: { maxAttempts: 0 } })],
    ['LM retry.baseDelayMs: -1', 'retry.baseDelayMs', () => lm({ retry: { baseDelayMs: -1 } })],
    ['LM cache.maxEntries: 0', 'cache.maxEntries', () => lm({ cache: { maxEntries: 0, dir: false } })],
    [
      'per-call temperature: "hot"',
      'temperature',
      () => lm({}).call([{ role: 'user', content: 'x' }], { temperature: 'hot' as never }),
    ],
    [
      'per-call timeoutMs: 0',
      'timeoutMs',
      () => lm({}).call([{ role: 'user', content: 'x' }], { timeoutMs: 0 }),
    ],
    [
      'per-call priority: NaN',
      'priority',
      () => lm({}).call([{ role: 'user', content: 'x' }], { priority: Number.NaN }),
    ],
    ['Scheduler maxConcurrency: 2.5', 'maxConcurrency', () => new Scheduler({ maxConcurrency: 2.5 })],
    [
      'Embedder batchSize: 0',
      'batchSize',
      () => new Embedder('openai/e', { baseURL: 'http://127.0.0.1:9/v1', batchSize: 0 }),
    ],
    ['Predict maxRetries: -1', 'maxRetries', () => new Predict(qa, { maxRetries: -1 })],
    ['BestOfN n: 0', 'n', () => new BestOfN(new Predict(qa), { n: 0, rewardFn: () => 1, threshold: 1 })],
    [
      'Refine threshold: NaN',
      'threshold',
      () => new Refine(new Predict(qa), { n: 2, rewardFn: () => 1, threshold: Number.NaN }),
    ],
    ['Parallel concurrency: 0', 'concurrency', () => new Parallel(new Predict(qa), { concurrency: 0 })],
    [
      'Evaluate concurrency: -2',
      'concurrency',
      () => new Evaluate({ devset: [], metric: () => 1, concurrency: -2 }),
    ],
    [
      'Evaluate maxErrors: -1',
      'maxErrors',
      () => new Evaluate({ devset: [], metric: () => 1, maxErrors: -1 }),
    ],
    ['lm.drain(-1)', 'timeoutMs', () => lm({}).drain(-1)],
  ];

  it.each(cases)('rejects %s with InvalidOptionError', async (_name, option, run) => {
    const error = await invalidOption(run);
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.option).toBe(option);
    expect(error.message).toContain(option);
    expect(error.message).toMatch(/got /);
  });

  it('accepts the documented extremes', () => {
    expect(() =>
      lm({ temperature: 0, topP: 1, timeoutMs: Infinity, retry: { maxAttempts: 1, baseDelayMs: 0 } }),
    ).not.toThrow();
    expect(() => new ReAct(qa, { tools: [], maxIters: 0 })).not.toThrow();
  });
});
