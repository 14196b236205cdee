import { context, majority } from '@sigil/core';
import { Ensemble, LabeledFewShot } from '@sigil/optimize';
import { arithmeticExamples, DemoSensitiveLM, questionAnswerer, scoreOn } from '../support/arithmetic';

const trainset = arithmeticExamples(20);
const valset = arithmeticExamples(30, 700);

describe('Ensemble', () => {
  it('runs every member and reduces their outputs, beating the unoptimized program', async () => {
    const lm = new DemoSensitiveLM();
    await context({ lm }, async () => {
      const members = await Promise.all(
        [1, 2, 3, 4, 5].map((seed) =>
          new LabeledFewShot({ k: 2, seed }).compile(questionAnswerer(), { trainset }),
        ),
      );
      const ensemble = new Ensemble({ reduce: (outputs) => majority(outputs, 'answer') }).compile(members);
      expect(ensemble.namedPredictors().map(([path]) => path)).toEqual(
        [0, 1, 2, 3, 4].map((i) => `programs[${i}]`),
      );
      lm.calls = 0;
      await ensemble.forward({ question: 'What is 2 + 2?' });
      expect(lm.calls).toBe(5);
      expect(await scoreOn(ensemble, valset)).toBeGreaterThan(
        (await scoreOn(questionAnswerer(), valset)) + 30,
      );
    });
  });

  it('draws `size` members per call, seeded, and returns all outputs without a reduce', async () => {
    const lm = new DemoSensitiveLM();
    await context({ lm }, async () => {
      const members = [questionAnswerer(), questionAnswerer(), questionAnswerer()];
      const outputs = await new Ensemble({ size: 2, seed: 1 })
        .compile(members)
        .forward({ question: 'What is 1 + 1?' });
      expect(outputs).toHaveLength(2);
    });
  });
});
