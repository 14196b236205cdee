import type { Prediction } from '../data/prediction';
import type { InputsOf, OutputsOf, SignatureLike } from '../signature/reader';
import { signatureOf } from '../signature/reader';
import type { SignatureSpec } from '../signature/signature-spec';
import { Module } from './module';
import { type ForwardOptions, Predict, type PredictOptions } from './predict';
import { Predictor } from './decorators';
import { SignatureError } from '../signature/errors';

/** The outputs of ChainOfThought: the signature's outputs after a `reasoning` string. */
export type WithReasoning<O> = { reasoning: string } & O;

/**
 * Asks the model to reason before answering: DSPy's ChainOfThought, which prepends a `reasoning` output
 * (prefix `Reasoning:`, description `${reasoning}`) to the signature.
 * @example const qa = new ChainOfThought(QA); const { reasoning, answer } = await qa.forward({ question });
 */
export class ChainOfThought<S extends SignatureLike = SignatureLike> extends Module<
  InputsOf<S>,
  Prediction<WithReasoning<OutputsOf<S>> & object>
> {
  @Predictor() readonly predict: Predict<SignatureSpec<InputsOf<S>, WithReasoning<OutputsOf<S>>>>;

  constructor(signature: S, options: PredictOptions & { reasoningDesc?: string } = {}) {
    super();
    const spec = signatureOf(signature);
    if (spec.field('reasoning')) {
      throw new SignatureError(
        `ChainOfThought(${spec.name}): the signature already has a field "reasoning", which ChainOfThought adds ` +
          'itself as its first output — rename your field (e.g. "rationale"), or use Predict for this signature.',
        { signature: spec.name, field: 'reasoning' },
      );
    }
    const extended = spec.prepend('reasoning', {
      io: 'output',
      desc: options.reasoningDesc,
      prefix: 'Reasoning:',
    }) as unknown as SignatureSpec<InputsOf<S>, WithReasoning<OutputsOf<S>>>;
    this.predict = new Predict(extended, options);
    this.predict.displayName = 'ChainOfThought';
  }

  forward(
    inputs: InputsOf<S>,
    options?: ForwardOptions,
  ): Promise<Prediction<WithReasoning<OutputsOf<S>> & object>> {
    return this.predict.forward(inputs, options);
  }
}
