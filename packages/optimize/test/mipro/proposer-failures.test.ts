import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { context, exactMatch, Predict, signature, wrapLM } from '@sigil/core';
import { MIPRO, reportOf } from '@sigil/optimize';
import { LandscapeLM, ORIGINAL, questions } from './landscape';

const metric = exactMatch('answer');
const trainset = questions(30, 1000);
const valset = questions(40);

/** The landscape, except that every third instruction proposal comes back in no format at all. */
function lmWithBadProposals(seed: number) {
  let proposals = 0;
  return wrapLM(new LandscapeLM(seed), {
    name: 'bad-proposals',
    call: async (next, messages, options) => {
      const proposing = messages.some(
        (m) => typeof m.content === 'string' && m.content.includes('proposed_instruction'),
      );
      if (proposing && proposals++ % 3 === 1) {
        return {
          completions: [{ text: 'Sorry, I cannot help.', finishReason: 'stop' }],
          usage: { promptTokens: 1, completionTokens: 1, cachedTokens: 0, totalTokens: 2 },
          cost: 0,
          model: 'x',
          cached: false,
          durationMs: 0,
        };
      }
      return next(messages, options);
    },
  });
}

describe('MIPRO proposals the LM answers badly', () => {
  it('skips an unparsable proposal, counts it in the report, and a resumed run gets past it', async () => {
    const journal = path.join(mkdtempSync(path.join(tmpdir(), 'sigil-proposer-')), 'run.jsonl');
    const optimizer = () =>
      new MIPRO({
        metric,
        seed: 2,
        numCandidates: 5,
        numTrials: 6,
        maxLabeledDemos: 0,
        journal,
        resume: true,
      });
    const program = new Predict(signature('question -> answer', ORIGINAL));
    const first = await context({ lm: lmWithBadProposals(2) }, () =>
      optimizer().compile(program, { trainset, valset }),
    );
    const report = reportOf(first)!;
    expect(report.search!.unparsableProposals).toBeGreaterThan(0);
    expect(report.search!.instructions.self.length).toBeLessThan(5);
    expect(report.stoppedBy).toBe('completed');
    const again = await context({ lm: lmWithBadProposals(2) }, () =>
      optimizer().compile(program, { trainset, valset }),
    );
    expect(again.dumpState()).toEqual(first.dumpState());
    expect(reportOf(again)!.search!.unparsableProposals).toBe(report.search!.unparsableProposals);
  });
});
