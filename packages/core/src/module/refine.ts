import type { Adapter, AdapterTarget, Demo } from '../adapter/adapter';
import { ChatAdapter } from '../adapter/chat-adapter';
import { pyTypeName } from '../adapter/python-values';
import type { ChatMessage } from '../lm/types';
import { context, type Settings } from '../runtime/settings';
import { signatureFromDescription } from '../signature/from-description';
import type { SignatureSpec } from '../signature/signature-spec';
import {
  type Attempt,
  type AttemptState,
  BestOfN,
  type ModuleInputs,
  type ModuleOutputs,
  type RewardFn,
} from './best-of-n';
import { ChainOfThought } from './chain-of-thought';
import type { Module } from './module';

/** Options of `Refine`. */
export interface RefineOptions<I, O> {
  /** Attempts at most. */
  n: number;
  rewardFn: RewardFn<I, O>;
  /** Stop at the first attempt whose reward reaches it; without one, all `n` attempts run. */
  threshold?: number;
  /** Failed attempts tolerated, counted as DSPy counts them (default `n`). */
  failCount?: number;
}

/** DSPy's `OfferFeedback` signature: blame and per-module advice after an attempt fell short. */
const OFFER_FEEDBACK = signatureFromDescription({
  name: 'OfferFeedback',
  instructions: [
    'In the discussion, assign blame to each module that contributed to the final reward being below the threshold, if',
    'any. Then, prescribe concrete advice of how the module should act on its future input when we retry the process, if',
    'it were to receive the same or similar inputs. If a module is not to blame, the advice should be N/A.',
    'The module will not see its own history, so it needs to rely on entirely concrete and actionable advice from you',
    'to avoid the same mistake on the same or similar inputs.',
  ].join('\n'),
  fields: [
    { name: 'program_code', io: 'input', desc: 'The code of the program that we are analyzing' },
    {
      name: 'modules_defn',
      io: 'input',
      desc: 'The definition of each module in the program, including its I/O',
    },
    { name: 'program_inputs', io: 'input', desc: 'The inputs to the program that we are analyzing' },
    {
      name: 'program_trajectory',
      io: 'input',
      desc: "The trajectory of the program's execution, showing each module's I/O",
    },
    { name: 'program_outputs', io: 'input', desc: 'The outputs of the program that we are analyzing' },
    { name: 'reward_code', io: 'input', desc: 'The code of the reward function that we are analyzing' },
    {
      name: 'target_threshold',
      io: 'input',
      type: 'number',
      desc: 'The target threshold for the reward function',
    },
    {
      name: 'reward_value',
      io: 'input',
      type: 'number',
      desc: "The reward value assigned to the program's outputs",
    },
    {
      name: 'module_names',
      io: 'input',
      type: { array: 'string' },
      desc: 'The names of the modules in the program, for which we seek advice',
    },
    { name: 'discussion', io: 'output', desc: 'Discussing blame of where each module went wrong, if it did' },
    {
      name: 'advice',
      io: 'output',
      type: { dict: 'string' },
      desc:
        'For each module, describe very concretely, in this order: the specific scenarios in which it has made ' +
        'mistakes in the past and what each mistake was, followed by what it should do differently in that kind of' +
        'scenario in the future. If the module is not to blame, write N/A.',
    },
  ],
});

let feedbackModule: ChainOfThought<typeof OFFER_FEEDBACK> | undefined;

/**
 * Like BestOfN, but after an attempt falls short of the threshold a ChainOfThought over DSPy's `OfferFeedback`
 * signature assigns blame and writes advice per predictor; the next attempt gets that advice as an extra
 * `hint_` input of each predictor — DSPy's Refine. The feedback step is not a learnable part of the program.
 * Hints reach predictors that use the configured adapter (not ones given their own `adapter`).
 * @example const refined = new Refine(new ChainOfThought(QA), { n: 3, rewardFn: oneWord, threshold: 1 });
 */
export class Refine<M extends Module = Module> extends BestOfN<M> {
  constructor(module: M, options: RefineOptions<NoInfer<ModuleInputs<M>>, NoInfer<ModuleOutputs<M>>>) {
    super(module, { ...options, threshold: options.threshold as number });
  }

  protected override attemptSettings(current: Readonly<Settings>, state: AttemptState): Partial<Settings> {
    const advice = state.advice as Record<string, string> | undefined;
    if (!advice) return {};
    const names = new Map<SignatureSpec<any, any>, string>();
    for (const [name, predictor] of this.module.namedPredictors()) names.set(predictor.signature, name);
    const base = current.adapter ?? new ChatAdapter();
    return { adapter: new HintAdapter(base, names, advice) };
  }

  protected override async afterAttempt(
    attempt: Attempt<ModuleInputs<M>, ModuleOutputs<M>>,
    state: AttemptState,
  ): Promise<void> {
    const predictors = this.module.namedPredictors();
    const nameOf = new Map<object, string>(predictors.map(([name, p]) => [p, name]));
    const trajectory = attempt.trace.map((t) => ({
      module_name: nameOf.get(t.predictor) ?? 'unknown',
      inputs: t.inputs,
      outputs: t.outputs,
    }));
    const outputs = attempt.prediction as unknown as { toJSON?: () => unknown };
    feedbackModule ??= new ChainOfThought(OFFER_FEEDBACK);
    const offerFeedback = feedbackModule;
    // The feedback call is not part of the program: keep it out of any trace being recorded.
    const feedback = await context({ trace: undefined }, () =>
      offerFeedback.forward({
        program_code: this.module.constructor.toString(),
        modules_defn: inspectModules(predictors),
        program_inputs: dumps(attempt.inputs),
        program_trajectory: dumps(trajectory),
        program_outputs: dumps(typeof outputs?.toJSON === 'function' ? outputs.toJSON() : outputs),
        reward_code: this.rewardFn.toString(),
        target_threshold: this.threshold ?? null,
        reward_value: attempt.reward,
        module_names: predictors.map(([name]) => name),
      }),
    );
    state.advice = feedback.advice ?? {};
  }
}

const HINT = { io: 'input', desc: 'A hint to the module from an earlier run' } as const;
const hinted = new WeakMap<SignatureSpec<any, any>, SignatureSpec<any, any>>();

function withHint(signature: SignatureSpec<any, any>): SignatureSpec<any, any> {
  let spec = hinted.get(signature);
  if (!spec) hinted.set(signature, (spec = signature.append('hint_', HINT)));
  return spec;
}

/** Adds each predictor's advice as a `hint_` input (as DSPy's Refine wraps the adapter). */
class HintAdapter implements Adapter {
  readonly name: string;
  readonly fallback?: Adapter;

  constructor(
    private readonly base: Adapter,
    private readonly names: ReadonlyMap<SignatureSpec<any, any>, string>,
    private readonly advice: Readonly<Record<string, string>>,
  ) {
    this.name = base.name;
    this.fallback = base.fallback && new HintAdapter(base.fallback, names, advice);
  }

  format(
    signature: SignatureSpec<any, any>,
    demos: readonly Demo[],
    inputs: Record<string, unknown>,
  ): ChatMessage[] {
    const name = this.names.get(signature);
    const hint = (name !== undefined && this.advice[name]) || 'N/A';
    return this.base.format(withHint(signature), demos, { ...inputs, hint_: hint });
  }

  parse(signature: SignatureSpec<any, any>, completion: string): Record<string, unknown> {
    return this.base.parse(signature, completion);
  }

  callOptions(signature: SignatureSpec<any, any>, target: AdapterTarget) {
    return this.base.callOptions(withHint(signature), target);
  }
}

/** DSPy's `inspect_modules`: each predictor's fields and instructions, between separator lines. */
function inspectModules(predictors: readonly [string, { signature: SignatureSpec<any, any> }][]): string {
  const separator = '-'.repeat(80);
  const fields = (list: SignatureSpec['fields']) =>
    list.map((f) => `\n\t\t${f.name} (${pyTypeName(f.type)}): ${f.desc ?? `\${${f.name}}`}`).join('');
  const out = [separator];
  for (const [name, { signature }] of predictors) {
    out.push(
      `Module ${name}`,
      `\tInput Fields:${fields(signature.inputFields)}`,
      `\tOutput Fields:${fields(signature.outputFields)}`,
      `\tOriginal Instructions: ${signature.instructions.split('\n').join('\n\t\t')}`,
      separator,
    );
  }
  return out.join('\n');
}

/** JSON with 2-space indent; what JSON cannot hold is shown as `<non-serializable: type>` (DSPy's recursive_mask). */
function dumps(value: unknown): string {
  if (typeof value === 'string') return value;
  return (
    JSON.stringify(
      value,
      (_key, v) =>
        typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint'
          ? `<non-serializable: ${typeof v}>`
          : v,
      2,
    ) ?? 'null'
  );
}
