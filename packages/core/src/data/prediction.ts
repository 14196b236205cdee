import { emptyUsage, type Usage } from '../lm/types';
import { type LMUsage, lmUsageOf } from '../runtime/usage-tracker';
import { ExampleError } from './errors';
import { describeValue } from './example';

/** One predictor call inside a program run: which predictor, what it got, what it produced. */
export interface TraceEntry {
  predictor: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
}

/** What a Prediction carries besides its outputs. */
export interface PredictionMeta {
  /** Tokens of the LM calls that produced it, summed. */
  usage: Usage;
  /** In US dollars; 0 when unknown. */
  cost: number;
  /** The predictor calls that led to it, in call order (may be empty). */
  trace: readonly TraceEntry[];
  /** Every parsed candidate when the LM was asked for n > 1 samples; defaults to `[outputs]`. */
  completions: readonly Record<string, unknown>[];
}

const RESERVED_PREDICTION_KEYS: ReadonlySet<string> = new Set([
  'get',
  'keys',
  'toJSON',
  'usage',
  'cost',
  'trace',
  'completions',
  'getLmUsage',
]);

/** The methods and metadata every Prediction has, over its outputs `O`. */
export interface PredictionMethods<O extends object> extends Readonly<PredictionMeta> {
  /** The value of an output, or `fallback` when it is absent. */
  get<F extends keyof O & string>(key: F): O[F];
  /** The value of any key, or `fallback` when it is absent. */
  get<V = unknown>(key: string, fallback?: V): V;
  /** The output names, in insertion order. */
  keys(): (keyof O & string)[];
  /** The outputs as a plain object (the metadata is not included). */
  toJSON(): O;
  /**
   * The usage and cost, by model, of every LM call made inside the module or program call that returned
   * this prediction (DSPy's `get_lm_usage()`); undefined for a prediction built by hand.
   */
  getLmUsage(): LMUsage | undefined;
}

/**
 * The outputs of a module call, as DSPy's `dspy.Prediction`: outputs are own enumerable (read-only)
 * properties; `usage`, `cost`, `trace` and `completions` are non-enumerable metadata. Immutable.
 * @example const p = Prediction.from({ answer: 'Paris' }, { cost: 0.0001 }); p.answer; p.usage.totalTokens;
 */
export type Prediction<O extends object = Record<string, any>> = PredictionMethods<O> & Readonly<O>;

/** The `Prediction` class: build one with `Prediction.from(outputs, meta?)`. */
export interface PredictionConstructor {
  new <O extends object>(outputs: O, meta?: Partial<PredictionMeta>): Prediction<O>;
  /** A prediction of these outputs, with optional usage, cost and trace. */
  from<O extends object>(outputs: O, meta?: Partial<PredictionMeta>): Prediction<O>;
  /** True for Prediction instances. */
  isPrediction(value: unknown): value is Prediction;
  readonly prototype: PredictionMethods<any>;
}

class PredictionImplementation {
  declare readonly usage: Usage;
  declare readonly cost: number;
  declare readonly trace: readonly TraceEntry[];
  declare readonly completions: readonly Record<string, unknown>[];

  constructor(outputs: object, meta: Partial<PredictionMeta> = {}) {
    if (outputs === null || typeof outputs !== 'object' || Array.isArray(outputs)) {
      throw new ExampleError(
        `A Prediction is built from a plain object of outputs, got ${describeValue(outputs)} — pass { field: value, … }.`,
      );
    }
    const source: Record<string, unknown> =
      outputs instanceof PredictionImplementation ? outputs.toJSON() : (outputs as Record<string, unknown>);
    for (const key of Object.keys(source)) {
      if (RESERVED_PREDICTION_KEYS.has(key)) {
        throw new ExampleError(
          `A Prediction output cannot be named "${key}": that is Prediction metadata or a method — rename the output field.`,
        );
      }
      Object.defineProperty(this, key, {
        value: source[key],
        enumerable: true,
        writable: false,
        configurable: false,
      });
    }
    const inherited = outputs instanceof PredictionImplementation ? outputs : undefined;
    const hidden = (value: unknown) => ({ value, enumerable: false, writable: false, configurable: false });
    Object.defineProperties(this, {
      usage: hidden(Object.freeze({ ...(meta.usage ?? inherited?.usage ?? emptyUsage()) })),
      cost: hidden(meta.cost ?? inherited?.cost ?? 0),
      trace: hidden(Object.freeze([...(meta.trace ?? inherited?.trace ?? [])])),
      completions: hidden(
        Object.freeze([...(meta.completions ?? inherited?.completions ?? [{ ...source }])]),
      ),
    });
    Object.freeze(this);
  }

  /** A prediction of these outputs, with optional usage, cost and trace. */
  static from(outputs: object, meta?: Partial<PredictionMeta>): PredictionImplementation {
    return new PredictionImplementation(outputs, meta);
  }

  static isPrediction(value: unknown): boolean {
    return value instanceof PredictionImplementation;
  }

  /** The value of an output field, or `fallback` when the prediction has none. */
  get(key: string, fallback?: unknown): unknown {
    return Object.prototype.hasOwnProperty.call(this, key)
      ? (this as Record<string, unknown>)[key]
      : fallback;
  }

  keys(): string[] {
    return Object.keys(this);
  }

  getLmUsage(): LMUsage | undefined {
    return lmUsageOf(this);
  }

  toJSON(): Record<string, unknown> {
    const outputs: Record<string, unknown> = {};
    for (const key of Object.keys(this)) {
      Object.defineProperty(outputs, key, {
        value: (this as Record<string, unknown>)[key],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return outputs;
  }
}

/** The `Prediction` class (see the `Prediction` type). */
export const Prediction = PredictionImplementation as unknown as PredictionConstructor;
