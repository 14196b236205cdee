import type { Example, Metric, Module } from '@sigil/core';
import { BootstrapFewShot, type BootstrapFewShotOptions } from '../bootstrap/bootstrap-few-shot';
import { measureAround } from '../bootstrap/measure';
import { type Demo, setDemos } from '../optimizer/candidate';
import { OptimizerError } from '../optimizer/errors';
import { estimateFrom, Optimizer, type CompileData, type OptimizerOptions } from '../optimizer/optimizer';
import type { Estimate } from '../optimizer/report';
import type { OptimizerRun } from '../optimizer/run';
import { type EmbedderLike, inputText, VectorIndex } from './nearest';

/** Options of `KNNFewShot`. */
export interface KNNFewShotOptions extends OptimizerOptions {
  /** Neighbours per call, used as demos (most similar first). */
  k: number;
  /** Embeds the trainset once at compile time and each call's inputs at run time. */
  embedder: EmbedderLike;
  /**
   * DSPy's behaviour: bootstrap demos from the k neighbours at every call (LM calls at run time). By
   * default the neighbours are used as labelled demos, with no extra LM call.
   */
  bootstrap?: Omit<BootstrapFewShotOptions, keyof OptimizerOptions>;
  /** With a `valset`, the program as given and the result are scored with it for the report. */
  metric?: Metric;
}

/**
 * DSPy's KNNFewShot: demos chosen per input among the trainset's k nearest neighbours (cosine similarity
 * of embeddings of the input fields). The trainset is embedded once, in `compile`; the returned program
 * embeds each call's inputs and runs a copy of itself with those demos, so concurrent calls never share
 * demos. Its picking lives in the returned instance: `save()` stores no demos, and `clone()` gives the
 * plain program.
 * @example const program = await new KNNFewShot({ k: 3, embedder: new Embedder('openai/text-embedding-3-small') }).compile(qa, { trainset });
 */
export class KNNFewShot extends Optimizer<KNNFewShotOptions> {
  readonly name = 'KNNFewShot';

  constructor(options: KNNFewShotOptions) {
    super(options);
    if (!(Number.isInteger(options?.k) && options.k >= 1)) {
      throw new OptimizerError(
        `KNNFewShot needs k, a whole number ≥ 1 of neighbours per call, got ${options?.k}.`,
      );
    }
    if (typeof options.embedder?.embed !== 'function') {
      throw new OptimizerError(
        'KNNFewShot needs an embedder with embed(texts): Promise<number[][]> — e.g. new Embedder(model).',
      );
    }
  }

  estimate(program: Module, data: CompileData): Estimate {
    const validation = this.options.metric && data.valset ? 2 * data.valset.length : 0;
    const steps = [{ name: 'embed trainset (embedding calls, not LM calls)', programCalls: 0 }];
    if (validation) steps.push({ name: 'baseline and final', programCalls: validation });
    return estimateFrom(program, { expected: validation, most: validation }, steps);
  }

  protected optimize(run: OptimizerRun, student: Module, data: CompileData): Promise<Module> {
    return measureAround(run, student, data.valset, this.options.metric, async () => {
      const trainset = data.trainset;
      const keys = [...new Set(trainset.flatMap((example) => example.inputKeys as string[]))];
      const texts = trainset.map((example) => inputText(example.inputs().toJSON(), keys));
      const vectors = await run.step('embed trainset', () => this.options.embedder.embed(texts));
      if (!Array.isArray(vectors) || vectors.length !== trainset.length) {
        throw new OptimizerError(
          `KNNFewShot: the embedder returned ${Array.isArray(vectors) ? vectors.length : 'no'} vectors for ${trainset.length} training examples.`,
        );
      }
      const program = student.clone();
      setDemos(program, () => []);
      this.pickDemosPerCall(program, trainset, new VectorIndex(vectors), keys, data.teacher);
      return program;
    });
  }

  private pickDemosPerCall(
    program: Module,
    trainset: readonly Example<any, any>[],
    index: VectorIndex,
    keys: readonly string[],
    teacher: Module | undefined,
  ): void {
    const { k, embedder, bootstrap } = this.options;
    const forward = async (inputs: Record<string, unknown>, ...rest: unknown[]) => {
      const [query] = await embedder.embed([inputText(inputs, keys)]);
      const neighbours = index.nearest(query, k).map((i) => trainset[i]);
      let runner: Module;
      if (bootstrap) {
        runner = await new BootstrapFewShot(bootstrap).compile(program.clone(), {
          trainset: neighbours,
          teacher,
        });
      } else {
        runner = program.clone();
        const demos = neighbours.map((example) => example.toJSON() as Demo);
        setDemos(runner, () => demos);
      }
      return (runner.forward as (...args: unknown[]) => Promise<unknown>)(inputs, ...rest);
    };
    Object.defineProperty(program, 'forward', {
      value: forward,
      enumerable: false,
      configurable: true,
      writable: true,
    });
  }
}
