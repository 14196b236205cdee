import {
  type BackendRun,
  Evaluate,
  type EvaluationBackend,
  type EvaluationResult,
  Example,
  exactMatch,
  Prediction,
} from '@sigil/core';

const devset = Array.from({ length: 10 }, (_, i) => Example.from({ q: `q${i}`, a: `a${i}` }).withInputs('q'));

/** Answers every other example right, finishing batches in reverse order of arrival. */
class ReversingBackend implements EvaluationBackend {
  readonly batchSize = 3;
  readonly concurrency = 4;
  batches: number[][] = [];
  private pending: (() => void)[] = [];

  async evaluateBatch(
    batch: readonly { index: number; example: Example<any, any> }[],
    run: BackendRun,
  ): Promise<EvaluationResult<any, any>[]> {
    this.batches.push(batch.map((item) => item.index));
    // Hold each batch until all four have arrived (or the devset ran out), then release the last first.
    await new Promise<void>((resolve) => {
      this.pending.push(resolve);
      if (this.pending.length === 4 || this.batches.flat().length === devset.length) {
        for (const release of this.pending.reverse()) release();
        this.pending = [];
      }
    });
    return batch.map(({ index, example }) => {
      const prediction = Prediction.from({ a: index % 2 === 0 ? example.a : 'wrong' });
      return { index, example, prediction, score: index % 2 === 0 ? 1 : run.failureScore };
    });
  }
}

describe('Evaluate with a backend', () => {
  it('hands the backend batches of batchSize and reports in devset order', async () => {
    const backend = new ReversingBackend();
    const done: number[] = [];
    const report = await new Evaluate({ devset, metric: exactMatch('a'), progress: false, backend }).run(
      { forward: async () => ({}) },
      { onProgress: (p) => done.push(p.done) },
    );
    expect(backend.batches.map((b) => b.length)).toEqual([3, 3, 3, 1]);
    expect(report.results.map((r) => r.index)).toEqual(devset.map((_, i) => i));
    expect(report.score).toBe(50);
    expect(done).toEqual(devset.map((_, i) => i + 1));
  });

  it('stops with the error of a failing backend, telling it through the signal', async () => {
    let signal: AbortSignal | undefined;
    const backend: EvaluationBackend = {
      batchSize: 2,
      concurrency: 2,
      evaluateBatch: async (_batch, run) => {
        signal = run.signal;
        throw new Error('the workers are gone');
      },
    };
    const evaluation = new Evaluate({ devset, metric: exactMatch('a'), progress: false, backend });
    await expect(evaluation.run({ forward: async () => ({}) })).rejects.toThrow('the workers are gone');
    expect(signal?.aborted).toBe(true);
  });
});
