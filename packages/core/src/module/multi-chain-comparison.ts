import type { Prediction } from '../data/prediction';
import { InvalidOptionError } from '../errors/sigil-error';
import { pyStr } from '../adapter/python-repr';
import { pyStrip } from '../adapter/python-text';
import type { InputsOf, OutputsOf, SignatureLike } from '../signature/reader';
import { signatureOf } from '../signature/reader';
import type { SignatureSpec } from '../signature/signature-spec';
import { Predictor } from './decorators';
import { ModuleInputError } from './errors';
import { Module, observed } from './module';
import { type ForwardOptions, Predict, type PredictOptions } from './predict';

/** The outputs of MultiChainComparison: a corrected `rationale`, then the signature's outputs. */
export type WithRationale<O> = { rationale: string } & O;

/** One earlier attempt: its reasoning (`rationale` or `reasoning`) and its outputs. */
export type ComparedCompletion = Readonly<Record<string, unknown>>;

/** The inputs of MultiChainComparison: the signature's inputs and the `M` attempts to compare. */
export type ComparisonInputs<S extends SignatureLike> = InputsOf<S> & {
  completions: readonly ComparedCompletion[];
};

/** Options of `MultiChainComparison`. */
export interface MultiChainComparisonOptions extends PredictOptions {
  /** How many attempts each call compares (DSPy's `M`, default 3). */
  M?: number;
  /** The comparing call's temperature (default 0.7, as DSPy). */
  temperature?: number;
}

/**
 * DSPy's MultiChainComparison: shows the model `M` earlier attempts (each as "I'm trying to <first line of
 * its reasoning> I'm not sure but my prediction is <its last output>") and asks for a corrected rationale
 * and the outputs. The attempts are usually `completions` of a ChainOfThought sampled with `n: M`.
 * @example
 * const attempts = await new ChainOfThought(QA, { config: { n: 3 } }).forward({ question });
 * const best = await new MultiChainComparison(QA).forward({ question, completions: attempts.completions });
 */
export class MultiChainComparison<S extends SignatureLike = SignatureLike> extends Module<
  ComparisonInputs<S>,
  Prediction<WithRationale<OutputsOf<S>> & object>
> {
  @Predictor() readonly predict: Predict<SignatureSpec<any, WithRationale<OutputsOf<S>>>>;
  readonly M: number;
  /** The signature's last output: the "prediction" quoted from each attempt. */
  readonly lastKey: string;

  constructor(signature: S, options: MultiChainComparisonOptions = {}) {
    super();
    const { M = 3, temperature = 0.7, ...predictOptions } = options;
    if (!Number.isInteger(M) || M < 1) {
      throw new InvalidOptionError(`MultiChainComparison: M must be a positive integer, got ${M}.`, {
        option: 'M',
      });
    }
    this.M = M;
    let spec: SignatureSpec<any, any> = signatureOf(signature);
    this.lastKey = spec.outputNames[spec.outputNames.length - 1];
    for (let i = 1; i <= M; i++) {
      spec = spec.append(`reasoning_attempt_${i}`, {
        io: 'input',
        prefix: `Student Attempt #${i}:`,
        desc: '${reasoning attempt}',
      });
    }
    spec = spec.prepend('rationale', {
      io: 'output',
      prefix: "Accurate Reasoning: Thank you everyone. Let's now holistically",
      desc: '${corrected reasoning}',
    });
    this.predict = new Predict(spec, {
      ...predictOptions,
      config: { temperature, ...predictOptions.config },
    });
  }

  async forward(
    inputs: ComparisonInputs<S>,
    options?: ForwardOptions,
  ): Promise<Prediction<WithRationale<OutputsOf<S>> & object>> {
    const { completions, ...rest } = inputs as ComparisonInputs<S> & Record<string, unknown>;
    const attempts = this.attempts(completions);
    const values: Record<string, unknown> = { ...rest };
    attempts.forEach((attempt, i) => (values[`reasoning_attempt_${i + 1}`] = attempt));
    return observed(`MultiChainComparison(${this.predict.signature.name})`, inputs, () =>
      this.predict.forward(values as never, options),
    );
  }

  private attempts(completions: readonly ComparedCompletion[] | undefined): string[] {
    if (!Array.isArray(completions) || completions.length !== this.M) {
      throw new ModuleInputError(
        `MultiChainComparison: the number of attempts (${Array.isArray(completions) ? completions.length : 'none'}) ` +
          `does not match M (${this.M}); pass { completions } with ${this.M} attempts, or set M when constructing it.`,
        { signature: this.predict.signature.name, fields: ['completions'] },
      );
    }
    return completions.map((c, i) => {
      const reasoning = 'rationale' in c ? c.rationale : c.reasoning;
      if (typeof reasoning !== 'string') {
        throw new ModuleInputError(
          `MultiChainComparison: attempt ${i} has no "rationale" or "reasoning" text.`,
          { signature: this.predict.signature.name, fields: ['completions'] },
        );
      }
      // As DSPy: the first line of each, stripped.
      const rationale = pyStrip(pyStrip(reasoning).split('\n')[0]);
      const answer = pyStrip(pyStrip(pyStr(c[this.lastKey])).split('\n')[0]);
      return `«I'm trying to ${rationale} I'm not sure but my prediction is ${answer}»`;
    });
  }
}
