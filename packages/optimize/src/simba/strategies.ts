import {
  context,
  dictOf,
  type Example,
  Input,
  type LanguageModel,
  type Module,
  Output,
  Predict,
  predictorsOf,
  Signature,
} from '@sigil/core';
import { describeProgram } from '../mipro/proposer';
import type { Bucket, SampledRun } from './sampling';

/** SIMBA's two ways to improve a program from one bucket. */
export type StrategyName = 'appendADemo' | 'appendARule';

/** What a strategy needs besides the bucket and the candidate it edits. */
export interface StrategyContext {
  p10: number;
  p90: number;
  demoInputFieldMaxlen: number;
  promptModel?: LanguageModel;
  example: Example;
}

/** What a strategy did: whether it changed the candidate, why not, and the advice it got. */
export interface StrategyOutcome {
  applied: boolean;
  note?: string;
  advice?: Record<string, string>;
}

/**
 * SIMBA's advice signature (DSPy's `OfferFeedback`, same instructions and fields): two runs of the program
 * on one example, the better and the worse, in; a discussion and advice per module out.
 */
@Signature(
  "You will be given two trajectories of an LLM-driven program's execution. Your goal is to help the program's " +
    "modules build up experience on how to maximize the reward value assigned to the program's outputs if it were " +
    "to receive similar inputs in the future.\n\nThe module won't see its own history. It will rely on your advice " +
    'balancing being concrete and being generalizable.\n\nIn your advice:\n- Avoid boilerplate. Offer advice that ' +
    "would change the module's behavior for the better in the future.\n- Ensure that advice offered to a module M is " +
    "specific to that M's specific sub-task, not the overall program.\n- Rely on contrasting the behavior of the worse " +
    'trajectory against the better trajectory in making recommendations.\n- Ensure each unique module name appears ' +
    'exactly once as a key in the advice dictionary.',
)
export class OfferFeedback {
  @Input({ desc: 'The structure of the program that we are analyzing' }) readonly program_code!: string;
  @Input({ desc: 'The definition of each module in the program, including its I/O' })
  readonly modules_defn!: string;
  @Input({ desc: 'The inputs to the program that we are analyzing' }) readonly program_inputs!: string;
  @Input({ desc: "Any (hidden) metadata about the training set instance we're analyzing" })
  readonly oracle_metadata!: string;
  @Input({ desc: "The trajectory of the program's execution, showing each module's I/O" })
  readonly worse_program_trajectory!: string;
  @Input({ desc: 'The outputs of the program that we are analyzing' })
  readonly worse_program_outputs!: string;
  @Input({ desc: "The reward value assigned to the program's outputs" }) readonly worse_reward_value!: string;
  @Input({ desc: 'Additional information that might be helpful to understanding the assigned reward value.' })
  readonly worse_reward_info!: string;
  @Input({ desc: "The trajectory of the program's execution, showing each module's I/O" })
  readonly better_program_trajectory!: string;
  @Input({ desc: 'The outputs of the program that we are analyzing' })
  readonly better_program_outputs!: string;
  @Input({ desc: "The reward value assigned to the program's outputs" })
  readonly better_reward_value!: string;
  @Input({ desc: 'Additional information that might be helpful to understanding the assigned reward value.' })
  readonly better_reward_info!: string;
  @Input({ desc: 'The names of the modules in the program, for which we seek advice' })
  readonly module_names!: string;
  @Output({ desc: 'Discussing blame of where each module went wrong, if it did' }) discussion!: string;
  @Output({
    desc:
      'For each module, describe very concretely: If the module receives ${description of input or patterns therein}, ' +
      'then it should ${description of content, behavior, or strategies to adopt and/or others to avoid}. Basically, ' +
      'your advice be such that if the module has access to your tip, it would be much more likely to act like the ' +
      'successful trajectory rather than the lower-scoring trajectory.',
    type: dictOf(String),
  })
  module_advice!: Record<string, string>;
}

const TRUNCATED = '\n\t\t... <TRUNCATED FOR BREVITY>';

/**
 * Appends to each predictor one demo: its last call in the bucket's best run, inputs cut to
 * `demoInputFieldMaxlen` characters. Skipped when that run is at or below the batch's 10th percentile.
 */
export function appendADemo(bucket: Bucket, candidate: Module, ctx: StrategyContext): StrategyOutcome {
  const good = bucket.runs[0];
  if (good.score <= ctx.p10) {
    return { applied: false, note: `best score ${good.score} is at or below the 10th percentile ${ctx.p10}` };
  }
  const last = new Map<string, Record<string, unknown>>();
  for (const step of good.trace) {
    const inputs = Object.fromEntries(
      Object.entries(step.inputs).map(([k, v]) => {
        const text = typeof v === 'string' ? v : JSON.stringify(v);
        return [
          k,
          ctx.demoInputFieldMaxlen && text.length > ctx.demoInputFieldMaxlen
            ? `${text.slice(0, ctx.demoInputFieldMaxlen)}${TRUNCATED}`
            : v,
        ];
      }),
    );
    last.set(step.predictor, { augmented: true, ...inputs, ...step.outputs });
  }
  for (const predictor of predictorsOf(candidate)) {
    const demo = last.get(predictor.path);
    if (demo) predictor.demos.set([...predictor.demos.get(), demo]);
  }
  return { applied: last.size > 0 };
}

/**
 * Asks the prompt model to contrast the bucket's best and worst runs and appends its advice for each
 * module to that predictor's instruction. Skipped when the best run is at or below the 10th percentile or
 * the worst at or above the 90th; when best ≤ worst, one side is blanked out.
 */
export async function appendARule(
  bucket: Bucket,
  candidate: Module,
  ctx: StrategyContext,
): Promise<StrategyOutcome> {
  const [goodScore, badScore] = [bucket.runs[0].score, bucket.runs[bucket.runs.length - 1].score];
  if (goodScore <= ctx.p10 || badScore >= ctx.p90) {
    return {
      applied: false,
      note: `good score ${goodScore} ≤ 10th percentile ${ctx.p10}, or bad score ${badScore} ≥ 90th percentile ${ctx.p90}`,
    };
  }
  const good = view(bucket.runs[0]);
  const bad = view(bucket.runs[bucket.runs.length - 1]);
  if (goodScore <= badScore) blank(goodScore > ctx.p90 ? bad : good);
  const predictors = predictorsOf(candidate);
  const json = (value: unknown) => JSON.stringify(value, null, 2);
  const inputs = {
    program_code: `${candidate.constructor.name}\n${describeProgram(candidate)}`,
    modules_defn: describeModules(candidate),
    program_inputs: json(ctx.example.inputs().toJSON()),
    oracle_metadata: json(ctx.example.labels().toJSON()),
    better_program_trajectory: json(good.trajectory),
    better_program_outputs: json(good.outputs),
    worse_program_trajectory: json(bad.trajectory),
    worse_program_outputs: json(bad.outputs),
    worse_reward_value: String(bad.score),
    better_reward_value: String(good.score),
    worse_reward_info: json(bad.metadata),
    better_reward_info: json(good.metadata),
    module_names: json(predictors.map((p) => p.path)),
  };
  const advise = () => new Predict(OfferFeedback).forward(inputs);
  const settings = ctx.promptModel ? { trace: undefined, lm: ctx.promptModel } : { trace: undefined };
  const advice = (await context(settings, advise)).module_advice ?? {};
  for (const predictor of predictors) {
    const text = advice[predictor.path];
    if (typeof text === 'string') predictor.instructions.set(`${predictor.instructions.get()}\n\n${text}`);
  }
  return { applied: true, advice };
}

/** A run as the advice prompt shows it (the blanked side reads "N/A"). */
function view(run: SampledRun) {
  return {
    score: run.score as number | string,
    trajectory: run.trace.map((step) => ({
      module_name: step.predictor,
      inputs: step.inputs,
      outputs: step.outputs,
    })),
    outputs: run.outputs as Record<string, unknown>,
    metadata: run.metadata,
  };
}

function blank(side: ReturnType<typeof view>): void {
  side.trajectory = [];
  side.score = 'N/A';
  side.outputs = { 'N/A': 'Prediction not available' };
}

/** Each module's fields and instructions, in the layout of DSPy's `inspect_modules`. */
function describeModules(program: Module): string {
  const separator = '-'.repeat(80);
  const out = [separator];
  for (const predictor of predictorsOf(program)) {
    const signature = predictor.instructions.signature;
    const fields = (list: readonly { name: string; desc?: string }[]) =>
      list.map((f, i) => `\t\t${i + 1}. \`${f.name}\`${f.desc ? `: ${f.desc}` : ''}`).join('\n');
    out.push(
      `Module ${predictor.path}`,
      '\tInput Fields:',
      fields(signature.inputFields),
      '\tOutput Fields:',
      fields(signature.outputFields),
      `\tOriginal Instructions: ${predictor.instructions.get().split('\n').join('\n\t\t')}`,
      separator,
    );
  }
  return out.join('\n');
}
