import {
  AdapterParseError,
  ChainOfThought,
  OutputValidationError,
  Input,
  Output,
  Predict,
  Signature,
  type Module,
  predictorsOf,
  type SignatureSpec,
} from '@sigil/core';

@Signature(
  'You are shown a handful of examples from a dataset. Describe the task they represent in two or three ' +
    'sentences: what the inputs look like, what a correct output looks like, and anything unusual about them.',
)
class DescribeDataset {
  @Input({ desc: 'examples from the dataset, one per block' }) examples!: string;
  @Output({ desc: 'a short description of the task and its data' }) summary!: string;
}

@Signature(
  'Write a new instruction for one step of a language-model program. The instruction will be shown to the model ' +
    'at that step, so it must say what to do with the inputs and what to produce. Use the dataset description, ' +
    'the program structure, the examples of this step and the tip; do not repeat an instruction already tried.',
)
class ProposeInstruction {
  @Input({ desc: 'what the data and the task are like' }) dataset_description!: string;
  @Input({ desc: 'the steps of the program and what each consumes and produces' }) program_structure!: string;
  @Input({ desc: 'the step this instruction is for: its inputs and outputs' }) step_signature!: string;
  @Input({ desc: 'worked examples of this step' }) step_examples!: string;
  @Input({ desc: 'instructions tried before, with their scores when known' }) previous_instructions!: string;
  @Input({ desc: 'the instruction the step has now' }) current_instruction!: string;
  @Input({ desc: 'a suggestion on the style of the new instruction' }) tip!: string;
  @Output({ desc: 'the new instruction, as plain text' }) proposed_instruction!: string;
}

@Signature(
  'Write a new instruction for one step of a language-model program. The instruction will be shown to the model ' +
    'at that step, so it must say what to do with the inputs and what to produce. Use the dataset description, ' +
    'the program structure, the examples of this step and the tip — and above all the examples the program ' +
    'currently gets wrong, with the feedback on each: state in the instruction the facts and rules those ' +
    'failures reveal, since the model will not see them. Do not repeat an instruction already tried.',
)
class ProposeInstructionFromFailures {
  @Input({ desc: 'what the data and the task are like' }) dataset_description!: string;
  @Input({ desc: 'the steps of the program and what each consumes and produces' }) program_structure!: string;
  @Input({ desc: 'the step this instruction is for: its inputs and outputs' }) step_signature!: string;
  @Input({ desc: 'worked examples of this step' }) step_examples!: string;
  @Input({ desc: "examples the program got wrong: inputs, the program's outputs, score and feedback" })
  step_failures!: string;
  @Input({ desc: 'instructions tried before, with their scores when known' }) previous_instructions!: string;
  @Input({ desc: 'the instruction the step has now' }) current_instruction!: string;
  @Input({ desc: 'a suggestion on the style of the new instruction' }) tip!: string;
  @Output({ desc: 'the new instruction, as plain text' }) proposed_instruction!: string;
}

/** Failures shown to each proposal (a different slice each time, so proposals learn different things). */
export const FAILURES_PER_PROPOSAL = 3;

/** Style suggestions drawn at random for each proposal, so candidates differ in kind, not just wording. */
export const PROPOSAL_TIPS: readonly string[] = [
  'Keep it short and direct.',
  'Spell out the format of the output precisely.',
  'Ask the model to work through the evidence step by step before answering.',
  'Give the model a persona suited to the task (an expert of the domain).',
  'Mention the pitfalls the examples reveal.',
  'Stress what is at stake if the answer is wrong.',
  'No particular style: write the clearest instruction you can.',
];

/** What the proposer needs to know of one predictor. */
export interface ProposalTarget {
  path: string;
  signature: SignatureSpec<any, any>;
  /** Demonstrations of this step (bootstrapped or labelled), as field → value objects. */
  demos: readonly Record<string, unknown>[];
}

/**
 * MIPRO's grounded instruction proposer, itself a Sigil program: a dataset summary, the program's
 * structure, the step's signature and examples, a random tip and the instructions tried so far go in;
 * a candidate instruction comes out.
 */
export class InstructionProposer {
  readonly describe = new Predict(DescribeDataset);
  readonly propose = new ChainOfThought(ProposeInstruction);
  readonly proposeFromFailures = new ChainOfThought(ProposeInstructionFromFailures);
  /**
   * Proposer replies that could not be parsed (after the module's own retries): each is skipped and
   * counted — one bad reply never stops the optimization, and a resumed run gets past it the same way.
   */
  unparsable = 0;

  /** Summarises the trainset (a few examples) once per compile; an unusable reply gives no summary. */
  async describeDataset(examples: readonly Record<string, unknown>[]): Promise<string> {
    const blocks = examples.map((e, i) => `Example ${i + 1}:\n${formatObject(e)}`).join('\n\n');
    const out = await this.skipUnparsable(() =>
      this.describe.forward({ examples: blocks || '(no examples)' }),
    );
    return out?.summary ?? '(no description: the proposer LM gave an unusable reply)';
  }

  /** `fn`'s result, or undefined (counted) when the LM's reply could not be parsed or validated. */
  private async skipUnparsable<T>(fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (error) {
      if (!AdapterParseError.isInstance(error) && !OutputValidationError.isInstance(error)) throw error;
      this.unparsable++;
      return undefined;
    }
  }

  /**
   * Proposes `count` instructions for `target` (index 0 of the result is always the current instruction).
   * With `failures` (rendered by `describeFailure`), each proposal is also shown a few of them.
   */
  async proposeFor(
    program: Module,
    target: ProposalTarget,
    datasetDescription: string,
    count: number,
    random: () => number,
    onProposal?: (instruction: string) => void,
    failures?: readonly string[],
  ): Promise<string[]> {
    const out = [target.signature.instructions];
    const structure = describeProgram(program);
    for (let i = 1; i < count; i++) {
      const tip = PROPOSAL_TIPS[Math.floor(random() * PROPOSAL_TIPS.length)];
      const demos = target.demos.slice(0, 3).map((d, k) => `Example ${k + 1}:\n${formatObject(d)}`);
      const inputs = {
        dataset_description: datasetDescription,
        program_structure: structure,
        step_signature: describeSignature(target.signature),
        step_examples: demos.join('\n\n') || '(no examples yet)',
        previous_instructions: out.map((text, k) => `${k + 1}. ${text}`).join('\n'),
        current_instruction: target.signature.instructions,
        tip,
      };
      const options = { config: { temperature: 1, rolloutId: `mipro-propose-${target.path}-${i}` } };
      const prediction = await this.skipUnparsable((): Promise<{ proposed_instruction: string }> =>
        failures
          ? this.proposeFromFailures.forward(
              {
                ...inputs,
                step_failures: failureSlice(failures, i - 1) || '(none: every example shown was right)',
              },
              options,
            )
          : this.propose.forward(inputs, options),
      );
      if (!prediction) continue;
      const text = cleanInstruction(prediction.proposed_instruction);
      if (text && !out.includes(text)) {
        out.push(text);
        onProposal?.(text);
      }
    }
    return out;
  }
}

/** The failures shown to proposal `k` (0-based): the next `FAILURES_PER_PROPOSAL` of them, cyclically. */
function failureSlice(failures: readonly string[], k: number): string {
  if (failures.length === 0) return '';
  const shown = Math.min(FAILURES_PER_PROPOSAL, failures.length);
  return Array.from({ length: shown }, (_, j) => failures[(k * FAILURES_PER_PROPOSAL + j) % failures.length])
    .map((block, j) => `Example ${j + 1}:\n${block}`)
    .join('\n\n');
}

/**
 * One failure as the proposer sees it: the example's inputs, the program's outputs (`output <field>: …`),
 * the score and the metric's feedback (a bare score when the metric gives none).
 */
export function describeFailure(
  inputs: Record<string, unknown>,
  outputs: Record<string, unknown>,
  score: number,
  feedback: string | undefined,
): string {
  const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  return [
    ...Object.entries(inputs).map(([k, v]) => `${k}: ${text(v)}`),
    ...Object.entries(outputs).map(([k, v]) => `output ${k}: ${text(v)}`),
    `score: ${score}`,
    `feedback: ${feedback ?? `The program scored ${score} on this example.`}`,
  ].join('\n');
}

/** `path: inputs -> outputs` per predictor, the program's structure as the proposer reads it. */
export function describeProgram(program: Module): string {
  return predictorsOf(program)
    .map((p) => `${p.path}: ${describeSignature(p.instructions.signature)}`)
    .join('\n');
}

function describeSignature(signature: SignatureSpec<any, any>): string {
  const field = (f: { name: string; desc?: string }) => (f.desc ? `${f.name} (${f.desc})` : f.name);
  return `${signature.inputFields.map(field).join(', ')} -> ${signature.outputFields.map(field).join(', ')}`;
}

function formatObject(value: Record<string, unknown>): string {
  return Object.entries(value)
    .filter(([k]) => k !== 'augmented' && !k.startsWith('dspy_'))
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('\n');
}

function cleanInstruction(text: string): string {
  return text
    .trim()
    .replace(/^(proposed )?instruction:\s*/i, '')
    .replace(/^["'`]+|["'`]+$/g, '')
    .trim();
}
