import * as path from 'node:path';
import { run, tempDir } from './support/run-cli';

const examples = path.resolve(__dirname, '../../../examples');

/** Runs `sigil optimize` on an example and reads the expected, the most and the paid LM calls it printed. */
async function estimateAndPaid(example: string, optimizer: string) {
  const task = path.join(examples, example, 'src', 'task.ts');
  const result = await run(['optimize', task, '--optimizer', optimizer, '--out', 'o.json'], {
    cwd: tempDir(),
  });
  expect(result.code).toBe(0);
  const number = (text: string) => Number(text.replace(/,/g, ''));
  const [, expected, most] = /Estimate: about ([\d,]+) LM calls, at most ([\d,]+)/.exec(result.stdout)!;
  const [, paid] = /LM calls +│ ([\d,]+) \(paid/.exec(result.stdout)!;
  return { expected: number(expected), most: number(most), paid: number(paid) };
}

// What the examples pay, offline and uncached, is what the estimate is judged by.
describe('optimizer estimates', () => {
  it.each([
    ['quickstart', 'mipro'],
    ['quickstart', 'bootstrap'],
    ['quickstart', 'random-search'],
    ['rag', 'mipro'],
    ['agent', 'mipro'],
  ])(
    'expect within 25%% of what %s with %s pays, and bound it',
    async (example, optimizer) => {
      const { expected, most, paid } = await estimateAndPaid(example, optimizer);
      expect(Math.abs(expected - paid) / paid).toBeLessThanOrEqual(0.25);
      expect(most).toBeGreaterThanOrEqual(paid);
    },
    30_000,
  );
});
