import { context } from '@sigil/core';
import { type EmbedderLike, KNNFewShot, reportOf } from '@sigil/optimize';
import { arithmeticExamples, DemoSensitiveLM, exact, questionAnswerer } from '../support/arithmetic';

/** Embeds "a + b" questions as the vector (a, b): neighbours are questions with close operands. */
class OperandEmbedder implements EmbedderLike {
  batches: string[][] = [];
  async embed(texts: string[]): Promise<number[][]> {
    this.batches.push(texts);
    return texts.map((text) => {
      const [, a, b] = /(\d+) \+ (\d+)/.exec(text) ?? ['', '0', '0'];
      return [Number(a) + 1, Number(b) + 1];
    });
  }
}

const trainset = arithmeticExamples(20);
const valset = arithmeticExamples(30, 500);

describe('KNNFewShot', () => {
  it('embeds the trainset once, picks the nearest examples per call as demos, and improves the score', async () => {
    const lm = new DemoSensitiveLM();
    const embedder = new OperandEmbedder();
    await context({ lm }, async () => {
      const program = questionAnswerer();
      const optimized = await new KNNFewShot({ k: 3, embedder, metric: exact }).compile(program, {
        trainset,
        valset,
      });
      expect(embedder.batches[0]).toHaveLength(20);
      expect(embedder.batches[0][0]).toBe(`question: ${trainset[0].question}`);
      const report = reportOf(optimized)!;
      expect(report.bestScore).toBeGreaterThan(report.baselineScore! + 30);

      lm.log.length = 0;
      await optimized.forward({ question: trainset[5].question });
      const demoTurns = lm.log[0].messages.filter((m) => m.role === 'user').slice(0, -1);
      expect(demoTurns).toHaveLength(3);
      expect(demoTurns[0].content).toContain(trainset[5].question);
      expect(optimized.demos).toEqual([]);
    });
  });

  it('plans no LM call for compiling', () => {
    const optimizer = new KNNFewShot({ k: 2, embedder: new OperandEmbedder() });
    expect(optimizer.estimate(questionAnswerer(), { trainset }).lmCalls).toBe(0);
  });
});
