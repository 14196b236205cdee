/**
 * `semanticF1`: an LM judge, written as a Sigil program, that scores how much of a reference answer a
 * response conveys (recall) and how much of the response the reference supports (precision) — the idea of
 * DSPy's SemanticF1, with Sigil's own instructions.
 */
import type { LanguageModel } from '../lm/types';
import { ChainOfThought } from '../module/chain-of-thought';
import { Module } from '../module/module';
import { context } from '../runtime/settings';
import { Input, Output, Signature } from '../signature/decorators';
import { MetricError } from './errors';
import { defineMetric, type Metric } from './metric';
import { Predictor } from '../module/decorators';

/** The judge signature of `semanticF1`: recall and precision of a response against the reference. */
@Signature(
  'Judge a system response against a reference answer to the same question. Recall is the share of ' +
    "the reference's content that the response also conveys; precision is the share of the response's " +
    'content that the reference supports. Wording does not matter, meaning does.',
)
export class SemanticRecallPrecision {
  @Input({ type: String }) question!: string;
  @Input({ type: String, desc: 'the reference answer' }) ground_truth!: string;
  @Input({ type: String, desc: 'the answer being judged' }) system_response!: string;
  @Output({ type: Number, desc: 'between 0 and 1: how much of the reference the response covers' })
  recall!: number;
  @Output({ type: Number, desc: 'between 0 and 1: how much of the response the reference supports' })
  precision!: number;
}

/** The judge signature of `semanticF1(field, { decompositional: true })`: idea by idea, then recall and precision. */
@Signature(
  'Judge a system response against a reference answer to the same question, one idea at a time. List the ' +
    'distinct ideas of the reference and of the response, discuss which of them the other one also ' +
    'contains, then report recall (the share of reference ideas found in the response) and precision ' +
    '(the share of response ideas backed by the reference).',
)
export class DecompositionalSemanticRecallPrecision {
  @Input({ type: String }) question!: string;
  @Input({ type: String, desc: 'the reference answer' }) ground_truth!: string;
  @Input({ type: String, desc: 'the answer being judged' }) system_response!: string;
  @Output({ type: String, desc: 'the distinct ideas of the reference, as a list' })
  ground_truth_key_ideas!: string;
  @Output({ type: String, desc: 'the distinct ideas of the response, as a list' })
  system_response_key_ideas!: string;
  @Output({ type: String, desc: 'which ideas the two answers share and which they do not' })
  discussion!: string;
  @Output({ type: Number, desc: 'between 0 and 1: share of reference ideas found in the response' })
  recall!: number;
  @Output({ type: Number, desc: 'between 0 and 1: share of response ideas backed by the reference' })
  precision!: number;
}

/** What the judge reads. */
export interface SemanticJudgeInputs {
  question: string;
  ground_truth: string;
  system_response: string;
}

/** The judge's verdict, with the F1 of its recall and precision. */
export interface SemanticVerdict {
  recall: number;
  precision: number;
  f1: number;
  reasoning: string;
}

/** Options of {@link semanticF1}. */
export interface SemanticF1Options {
  /** The prediction field holding the response; defaults to the same name as the example field. */
  predictionField?: string;
  /** The example field holding the question (default `'question'`). */
  questionField?: string;
  /** List the ideas of each answer before scoring (more tokens, steadier scores). Default false. */
  decompositional?: boolean;
  /** While optimizers bootstrap (a `trace` is passed) the metric passes when F1 ≥ this. Default 0.66. */
  threshold?: number;
  /** The judge's LM; otherwise the one in `settings()`. */
  lm?: LanguageModel;
}

/** The metric `semanticF1` returns: always asynchronous, with the judge program it runs. */
export type SemanticF1Metric = ((
  example: unknown,
  prediction: unknown,
  trace?: unknown,
) => Promise<number | boolean>) &
  Metric & { readonly program: SemanticF1 };

/**
 * The judge as a module: a ChainOfThought over `SemanticRecallPrecision` (or its decompositional form).
 * Its instructions and demos are learnable like any predictor's, so the judge itself can be optimized.
 */
export class SemanticF1 extends Module<SemanticJudgeInputs, SemanticVerdict> {
  @Predictor() readonly judge: ChainOfThought<typeof SemanticRecallPrecision>;

  constructor(options: Pick<SemanticF1Options, 'decompositional' | 'lm'> = {}) {
    super();
    const judged = options.decompositional ? DecompositionalSemanticRecallPrecision : SemanticRecallPrecision;
    this.judge = new ChainOfThought(judged, { lm: options.lm }) as ChainOfThought<
      typeof SemanticRecallPrecision
    >;
  }

  async forward(inputs: SemanticJudgeInputs): Promise<SemanticVerdict> {
    const verdict = await this.judge.forward(inputs);
    const recall = clamp(verdict.recall);
    const precision = clamp(verdict.precision);
    return { recall, precision, f1: harmonicMean(recall, precision), reasoning: verdict.reasoning };
  }
}

/**
 * A metric that asks an LM whether the prediction's `field` means what the example's does: the harmonic
 * mean of the judge's recall and precision, in [0, 1]. The judge's calls stay out of the program's trace.
 * @example new Evaluate({ devset, metric: semanticF1('response', { decompositional: true }) })
 */
export function semanticF1(field = 'response', options: SemanticF1Options = {}): SemanticF1Metric {
  const program = new SemanticF1(options);
  const questionField = options.questionField ?? 'question';
  const threshold = options.threshold ?? 0.66;
  const metric = async (example: unknown, prediction: unknown, trace?: unknown) => {
    const inputs: SemanticJudgeInputs = {
      question: textOf(required(example, questionField, 'example', 'questionField')),
      ground_truth: textOf(required(example, field, 'example', 'field')),
      system_response: textOf(read(prediction, options.predictionField ?? field)),
    };
    // A bootstrapping optimizer records predictor calls into the trace; the judge's are not the program's.
    const { f1 } = await context({ trace: undefined }, () => program.forward(inputs));
    return trace === undefined ? f1 : f1 >= threshold;
  };
  const { lm, ...rest } = options;
  return Object.assign(defineMetric('semanticF1', metric, { field, ...rest, lm: lm?.model }), { program });
}

/** The harmonic mean of precision and recall (each clamped to [0, 1]); 0 when both are 0. */
export function harmonicMean(precision: number, recall: number): number {
  const p = clamp(precision);
  const r = clamp(recall);
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}

function clamp(value: number): number {
  return Number.isFinite(value) ? Math.max(0, Math.min(1, value)) : 0;
}

function read(value: unknown, field: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[field] : undefined;
}

function required(value: unknown, field: string, what: string, option: string): unknown {
  const found = read(value, field);
  if (found === undefined) {
    const fields =
      value !== null && typeof value === 'object' ? Object.keys(value).join(', ') || 'none' : 'none';
    throw new MetricError(
      `semanticF1 reads "${field}" from the ${what}, which has no such field (fields: ${fields}) — pass its name as ${option}.`,
    );
  }
  return found;
}

function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(textOf).join('\n');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
