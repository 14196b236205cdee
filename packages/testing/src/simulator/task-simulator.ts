import { createHash } from 'node:crypto';
import {
  type CallOptions,
  type ChatMessage,
  contentText,
  type LanguageModel,
  type LMResponse,
} from '@sigil/core';
import { type SimulatedRule, statedRules } from './knowledge';
import { adviceReply, proposalReply, reflectionReply, type SimulatorView } from './optimizer-replies';
import { type PromptField, type ReadPrompt, readPrompt } from './prompt-reader';
import { readReflection } from './reflection-reader';
import { agentTurn, isAgentTurn } from './agent-turn';

/** One known item of the simulated task: its inputs and the correct outputs. */
export interface SimulatedItem {
  inputs: Record<string, unknown>;
  answers: Record<string, unknown>;
  /** The id of the task rule that decides it (see `TaskSimulatorOptions.rules`). */
  rule?: string;
}

/** An instruction the simulator knows, with how much it helps (0–1). */
export interface KnownInstruction {
  text: string;
  quality: number;
}

/** How the chance of a correct answer is made up; every term is added, then clamped to [0.02, 0.97]. */
export interface SimulatorWeights {
  /** Chance with an unhelpful prompt. */
  base: number;
  /** With `groundedAnswers`: the whole chance when the prompt's other inputs do not hold the answer. */
  ungrounded: number;
  /** Added × the instruction's quality (0–1). */
  instruction: number;
  /** Added per correct demo, up to `maxDemos` of them. */
  perDemo: number;
  maxDemos: number;
  /** Subtracted per demo whose answer is wrong. */
  wrongDemo: number;
  /** Added when the prompt asks for `reasoning` first (ChainOfThought). */
  reasoning: number;
  /** For an item with a rule: added when the instruction states that rule. */
  rule: number;
  /** For an item with a rule the instruction does not state: added when a right demo shares the rule. */
  ruleDemo: number;
}

/** Settings of a `TaskSimulator`. */
export interface TaskSimulatorOptions {
  /** The task's items; answers are looked up by the inputs' text. */
  items: readonly SimulatedItem[];
  /**
   * Look items up by these inputs only (default: all of them) — for predictors whose other inputs vary
   * from run to run, such as retrieved passages or an agent's trajectory: `matchOn: ['question']`.
   */
  matchOn?: readonly string[];
  /**
   * Know an answer only when it is written in the prompt's other inputs (the retrieved passages, a tool's
   * observations), as a reader would; otherwise answer correctly with chance `weights.ungrounded`.
   * Meant with `matchOn`.
   */
  groundedAnswers?: boolean;
  /** Seed of every draw: the same seed and prompt give the same answer. */
  seed?: number;
  weights?: Partial<SimulatorWeights>;
  /** Instructions with a set quality; others get a quality from their wording (and a hash). */
  instructions?: readonly KnownInstruction[];
  /** Candidates the simulator offers when asked to propose an instruction (MIPRO's proposer). */
  proposals?: readonly string[];
  /** Labels to draw wrong answers from, per output field (default: the answers seen in `items`). */
  labels?: Record<string, readonly unknown[]>;
  /**
   * Facts of the task an instruction can state: an item whose `rule` the prompt's instruction states is
   * answered with `weights.rule` more chance. The simulator's answers to GEPA's reflection prompt, MIPRO's
   * proposer and SIMBA's advice prompt write a rule in only when the examples they show reveal it.
   */
  rules?: readonly SimulatedRule[];
  model?: string;
}

const DEFAULT_WEIGHTS: SimulatorWeights = {
  base: 0.3,
  ungrounded: 0.05,
  instruction: 0.3,
  perDemo: 0.07,
  maxDemos: 4,
  wrongDemo: 0.06,
  reasoning: 0.08,
  rule: 0.45,
  ruleDemo: 0.15,
};

const DEFAULT_PROPOSALS = [
  'Read the input carefully and answer with exactly one of the allowed labels.',
  'Think step by step about the evidence in the input, then give the single best answer.',
  'Answer the task.',
  'You are an expert annotator. Decide the correct label for the input, considering tone and wording, and reply with that label only.',
  'Guess quickly.',
  'Carefully analyze the input step by step, weigh the clues, and answer with the precise expected value.',
];

/**
 * An offline stand-in for a model, for demos and optimizer tests — **a simulator, not a model**.
 * It knows a dataset's answers and answers correctly with a probability that depends on what the prompt
 * holds (the instruction, correct demos, reasoning), deterministically per prompt and seed, in the
 * format the prompt asks for (ChatAdapter or JSON). It also answers instruction-proposal prompts.
 * Use it in-process (it is a `LanguageModel`) or serve it with `serveSimulator`.
 */
export class TaskSimulator implements LanguageModel {
  readonly model: string;
  readonly supportsStructuredOutputs = true;
  readonly weights: SimulatorWeights;
  private readonly byInputs = new Map<string, SimulatedItem>();
  private readonly known = new Map<string, number>();
  private readonly labels = new Map<string, unknown[]>();
  private readonly proposals: readonly string[];
  private readonly seed: number;
  private readonly matchOn?: readonly string[];
  private readonly groundedAnswers: boolean;
  private readonly rules: readonly SimulatedRule[];
  private readonly inputNames: string[] = [];
  /** Calls answered, for tests and reports. */
  calls = 0;

  constructor(options: TaskSimulatorOptions) {
    this.model = options.model ?? 'sigil-simulator';
    this.seed = options.seed ?? 0;
    this.weights = { ...DEFAULT_WEIGHTS, ...options.weights };
    this.proposals = options.proposals ?? DEFAULT_PROPOSALS;
    this.matchOn = options.matchOn;
    this.groundedAnswers = options.groundedAnswers ?? false;
    this.rules = options.rules ?? [];
    for (const item of options.items) {
      for (const name of Object.keys(item.inputs))
        if (!this.inputNames.includes(name)) this.inputNames.push(name);
      this.byInputs.set(this.keyFor(item.inputs), item);
      for (const [field, answer] of Object.entries(item.answers)) {
        const seen = this.labels.get(field) ?? [];
        if (!seen.some((s) => JSON.stringify(s) === JSON.stringify(answer))) seen.push(answer);
        this.labels.set(field, seen);
      }
    }
    for (const [field, values] of Object.entries(options.labels ?? {})) this.labels.set(field, [...values]);
    for (const i of options.instructions ?? []) this.known.set(normalize(i.text), i.quality);
  }

  async call(messages: ChatMessage[], options: CallOptions = {}): Promise<LMResponse> {
    this.calls++;
    const n = options.n ?? 1;
    const completions = Array.from({ length: n }, (_, i) => ({
      text: this.reply(messages, { ...options, rolloutId: `${options.rolloutId ?? ''}:${i}` }),
      finishReason: 'stop',
    }));
    const promptTokens = Math.ceil(messages.reduce((sum, m) => sum + contentText(m.content).length, 0) / 4);
    const completionTokens = Math.ceil(completions.reduce((sum, c) => sum + c.text.length, 0) / 4);
    return {
      completions,
      usage: {
        promptTokens,
        completionTokens,
        cachedTokens: 0,
        totalTokens: promptTokens + completionTokens,
      },
      cost: 0,
      model: this.model,
      cached: false,
      durationMs: 0,
    };
  }

  /** The chance that this prompt gets a correct answer (what optimizers are trying to raise). */
  accuracyOf(prompt: ReadPrompt): number {
    const w = this.weights;
    let good = 0;
    let bad = 0;
    for (const demo of prompt.demos) {
      const item = this.byInputs.get(this.keyFor(demo.inputs));
      if (!item) {
        good += 0.5;
        continue;
      }
      const right = Object.entries(item.answers).every(
        ([f, v]) => f in demo.outputs && sameValue(demo.outputs[f], v),
      );
      if (right) good++;
      else bad++;
    }
    const request = this.byInputs.get(this.keyFor(prompt.inputs));
    if (this.groundedAnswers && request && !this.isGrounded(request, prompt)) return w.ungrounded;
    const reasoning = prompt.outputFields[0]?.name === 'reasoning' ? w.reasoning : 0;
    const p =
      w.base +
      w.instruction * this.instructionQuality(prompt.instructions) +
      w.perDemo * Math.min(good, w.maxDemos) -
      w.wrongDemo * bad +
      reasoning +
      this.ruleBonus(request, prompt);
    return Math.min(0.97, Math.max(0.02, p));
  }

  /** What the task's rules add for this request: the stated rule's weight, or partly a demo sharing it. */
  private ruleBonus(request: SimulatedItem | undefined, prompt: ReadPrompt): number {
    if (!request?.rule || this.rules.length === 0) return 0;
    if (statedRules(prompt.instructions, this.rules).has(request.rule)) return this.weights.rule;
    const sharing = prompt.demos.some((demo) => {
      const item = this.byInputs.get(this.keyFor(demo.inputs));
      if (!item || item.rule !== request.rule) return false;
      return Object.entries(item.answers).every(
        ([f, v]) => f in demo.outputs && sameValue(demo.outputs[f], v),
      );
    });
    return sharing ? this.weights.ruleDemo : 0;
  }

  /** The replies' view of the simulator. */
  private get view(): SimulatorView {
    return {
      seed: this.seed,
      rules: this.rules,
      proposals: this.proposals,
      inputNames: this.inputNames,
      itemFor: (inputs) => this.byInputs.get(this.keyFor(inputs)),
      instructionQuality: (text) => this.instructionQuality(text),
    };
  }

  /** How much an instruction helps (0–1): a known instruction's set quality, else judged by its wording. */
  instructionQuality(text: string): number {
    const known = this.known.get(normalize(text));
    if (known !== undefined) return known;
    const t = text.toLowerCase();
    let q = 0.15 + 0.25 * unit(this.seed, 'instruction', normalize(text));
    if (/step by step|carefully|analy[sz]e/.test(t)) q += 0.2;
    if (/exactly|precise|only|allowed|one of/.test(t)) q += 0.15;
    if (/expert|annotator/.test(t)) q += 0.1;
    if (/guess|quickly/.test(t)) q -= 0.15;
    if (t.length < 25) q -= 0.05;
    return Math.min(1, Math.max(0, q));
  }

  /** The reply text for a prompt (what the endpoint would return). */
  reply(messages: readonly ChatMessage[], options: CallOptions = {}): string {
    const salt = `${JSON.stringify(messages)}\u0000${options.rolloutId ?? ''}\u0000${options.temperature ?? ''}`;
    const first = messages.find((m) => m.role === 'user');
    const reflection =
      !messages.some((m) => m.role === 'system') && first
        ? readReflection(contentText(first.content))
        : undefined;
    if (reflection) return reflectionReply(this.view, reflection, salt);
    const prompt = readPrompt(messages);
    const key = this.keyFor(prompt.inputs);
    const item = this.byInputs.get(key);
    const draw = unit(
      this.seed,
      JSON.stringify(messages),
      String(options.rolloutId ?? ''),
      String(options.temperature ?? ''),
    );
    const values: Record<string, unknown> = {};
    if (isAgentTurn(prompt)) {
      Object.assign(values, agentTurn(prompt, this.matchOn));
    } else if (prompt.outputFields.some((f) => f.name === 'module_advice')) {
      for (const field of prompt.outputFields) values[field.name] = this.filler(field, prompt, draw);
      values.module_advice = adviceReply(this.view, prompt, salt);
    } else if (item) {
      const correct =
        unit(this.seed, 'answer', key, prompt.instructions, demoKey(prompt, this)) < this.accuracyOf(prompt);
      for (const field of prompt.outputFields) {
        if (field.name in item.answers) {
          values[field.name] = correct
            ? item.answers[field.name]
            : this.wrongAnswer(field.name, item.answers[field.name], draw);
        } else values[field.name] = this.filler(field, prompt, draw);
      }
    } else {
      for (const field of prompt.outputFields) values[field.name] = this.filler(field, prompt, draw);
    }
    return render(values, prompt);
  }

  /** The lookup key of some inputs: all of them, or only the `matchOn` ones (none when one is missing). */
  keyFor(inputs: Record<string, unknown>): string {
    if (!this.matchOn) return keyOf(inputs);
    if (!this.matchOn.every((name) => name in inputs)) return '\u0000unmatched';
    return keyOf(Object.fromEntries(this.matchOn.map((name) => [name, inputs[name]])));
  }

  /** True when every text answer of `item` is written in the prompt's inputs other than the matched ones. */
  private isGrounded(item: SimulatedItem, prompt: ReadPrompt): boolean {
    const other = Object.entries(prompt.inputs)
      .filter(([name]) => !this.matchOn?.includes(name))
      .map(([, value]) => value)
      .join('\n');
    const haystack = ` ${words(other)} `;
    return Object.values(item.answers).every((answer) => haystack.includes(` ${words(String(answer))} `));
  }

  private wrongAnswer(field: string, right: unknown, draw: number): unknown {
    const others = (this.labels.get(field) ?? []).filter((l) => !sameValue(String(l), right));
    if (others.length === 0) return typeof right === 'number' ? right + 1 : `not ${String(right)}`;
    return others[Math.floor(draw * others.length) % others.length];
  }

  private filler(field: PromptField, prompt: ReadPrompt, draw: number): unknown {
    if (field.name === 'reasoning' || field.name === 'rationale') {
      return 'Simulated reasoning: the simulator considered the input before answering.';
    }
    if (/instruction/.test(field.name) && this.rules.length > 0) {
      return proposalReply(this.view, prompt, `${draw}`);
    }
    if (/instruction/.test(field.name)) {
      const tried = new Set(Object.values(prompt.inputs).join('\n').split('\n').map(normalize));
      const fresh = this.proposals.filter((p) => !tried.has(normalize(p)));
      const pool = fresh.length > 0 ? fresh : this.proposals;
      return pool[Math.floor(draw * pool.length) % pool.length];
    }
    const literal = /^Literal\[(.*)\]$/.exec(field.type);
    if (literal) return literal[1].split(', ')[0].replace(/^['"]|['"]$/g, '');
    if (field.type === 'bool') return true;
    if (field.type === 'int') return 1;
    if (field.type === 'float') return 0.5;
    if (field.type.startsWith('list[')) return [];
    if (field.type.startsWith('dict[')) return {};
    return `Simulated ${field.name.replace(/_/g, ' ')} for the task.`;
  }
}

function render(values: Record<string, unknown>, prompt: ReadPrompt): string {
  if (prompt.format === 'json') return JSON.stringify(values);
  const text = (v: unknown) =>
    typeof v === 'string' ? v : typeof v === 'boolean' ? (v ? 'True' : 'False') : JSON.stringify(v);
  return `${Object.entries(values)
    .map(([k, v]) => `[[ ## ${k} ## ]]\n${text(v)}`)
    .join('\n\n')}\n\n[[ ## completed ## ]]`;
}

function keyOf(inputs: Record<string, unknown>): string {
  return Object.keys(inputs)
    .sort()
    .map(
      (k) =>
        `${k}=${typeof inputs[k] === 'string' ? (inputs[k] as string).trim() : JSON.stringify(inputs[k])}`,
    )
    .join('\u0001');
}

function demoKey(prompt: ReadPrompt, simulator: TaskSimulator): string {
  return prompt.demos.map((d) => simulator.keyFor(d.inputs)).join('|');
}

/** Lower-case words separated by single spaces: how answers are found in passages. */
function words(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function sameValue(text: string, value: unknown): boolean {
  const t = text.trim();
  return t === (typeof value === 'string' ? value.trim() : JSON.stringify(value)) || t === String(value);
}

function normalize(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** A deterministic draw in [0, 1) from the seed and some text. */
function unit(seed: number, ...parts: string[]): number {
  const digest = createHash('sha1')
    .update(`${seed}\u0000${parts.join('\u0000')}`)
    .digest();
  return digest.readUInt32BE(0) / 0x100000000;
}
