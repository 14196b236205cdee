import type { SimulatedRule } from './knowledge';
import { unit } from './knowledge';
import type { ReadPrompt } from './prompt-reader';
import {
  type SimulatedItem,
  type SimulatorWeights,
  TaskSimulator,
  type TaskSimulatorOptions,
} from './task-simulator';

/** Options of `knowledgeLandscape`. */
export interface KnowledgeLandscapeOptions {
  /** Seeds the tickets' order and the simulator's draws (default 0). */
  seed?: number;
  /** Tickets in all (default 400). */
  size?: number;
  /** Rules per queue, 1 or 2 (default 2: twelve rules over six queues). */
  rulesPerQueue?: 1 | 2;
  /** Override the landscape's weights (e.g. `perDemo` to make demos matter as well). */
  weights?: Partial<SimulatorWeights>;
}

/** A task whose main lever is knowledge in the instruction, with its optimum known. */
export interface KnowledgeLandscape {
  /** The six queues (the output's labels). */
  readonly queues: readonly string[];
  readonly rules: readonly SimulatedRule[];
  /** Tickets (`inputs.ticket`) with their queue (`answers.queue`) and the rule that decides it. */
  readonly items: readonly SimulatedItem[];
  /** The program's starting instruction, which states no rule. */
  readonly instruction: string;
  readonly weights: SimulatorWeights;
  /** A simulator of the task (`model` and other options may be overridden). */
  simulator(options?: Partial<TaskSimulatorOptions>): TaskSimulator;
  /** Expected accuracy (0…1) on `items` of a single-predictor prompt with this instruction and these demos. */
  expectedAccuracy(
    simulator: TaskSimulator,
    instruction: string,
    demos: readonly Readonly<Record<string, unknown>>[],
    items: readonly SimulatedItem[],
  ): number;
  /** The best expected accuracy on `items`: every rule stated (and, when demos count, `maxDemos` right ones). */
  optimum(simulator: TaskSimulator, items: readonly SimulatedItem[]): number;
}

const QUEUES = ['billing', 'shipping', 'account', 'technical', 'returns', 'security'] as const;

/** Per queue: the rule texts and the ticket each describes (`{n}` is the ticket's number). */
const RULES: Record<(typeof QUEUES)[number], [string, string][]> = {
  billing: [
    [
      'A ticket that quotes an invoice number (INV-…) goes to billing.',
      'About INV-{n}: the amount looks off to me.',
    ],
    [
      'A ticket about a refund that was promised but never paid goes to billing.',
      'You said I would get my money back for order {n}, nothing came.',
    ],
  ],
  shipping: [
    ['A ticket that quotes a tracking code (TRK-…) goes to shipping.', 'TRK-{n} has not moved for a week.'],
    [
      'A ticket about a parcel handed to a neighbour goes to shipping.',
      'Order {n} was left with someone next door, who?',
    ],
  ],
  account: [
    [
      'A ticket asking to change the e-mail address on file goes to account.',
      'Please use my new address for customer {n}.',
    ],
    [
      'A ticket about a username that is already taken goes to account.',
      'I cannot pick the name I want, profile {n}.',
    ],
  ],
  technical: [
    ['A ticket that quotes an error code (E-…) goes to technical.', 'I keep seeing E-{n} on the screen.'],
    [
      'A ticket about the app closing right after it opens goes to technical.',
      'Since version {n} the app shuts as soon as it starts.',
    ],
  ],
  returns: [
    [
      'A ticket that asks for a return label (RMA-…) goes to returns.',
      'Where is RMA-{n}? I want to send it back.',
    ],
    [
      'A ticket about an item that arrived in the wrong size goes to returns.',
      'The shoes from order {n} are two sizes too small.',
    ],
  ],
  security: [
    [
      'A ticket about a sign-in from an unknown country goes to security.',
      'Someone logged in to account {n} from abroad.',
    ],
    [
      'A ticket about a password-reset mail the customer did not ask for goes to security.',
      'Got a reset link for account {n}, not from me.',
    ],
  ],
};

/** The knowledge landscape's weights: wording and plain demos count for nothing, the rules for almost all. */
const WEIGHTS: SimulatorWeights = {
  base: 0.25,
  ungrounded: 0.05,
  instruction: 0,
  perDemo: 0,
  maxDemos: 4,
  wrongDemo: 0,
  reasoning: 0,
  rule: 0.65,
  ruleDemo: 0.25,
};

/**
 * A simulated ticket-routing task (six queues) where specific knowledge in the instruction is the main
 * lever: each ticket is decided by one of twelve rules ("A ticket that quotes an invoice number (INV-…)
 * goes to billing."), answered right with chance 0.25 unless the instruction states its rule (0.90); a
 * demo of the same rule helps only partly (0.50). The best program states every rule; demos add nothing
 * to it, so the optimum is known (0.90 by default).
 * @example const land = knowledgeLandscape({ seed: 1 }); const lm = land.simulator();
 */
export function knowledgeLandscape(options: KnowledgeLandscapeOptions = {}): KnowledgeLandscape {
  const seed = options.seed ?? 0;
  const size = options.size ?? 400;
  const perQueue = options.rulesPerQueue ?? 2;
  const rules: SimulatedRule[] = [];
  const templates: { rule: string; queue: string; ticket: string }[] = [];
  for (const queue of QUEUES) {
    RULES[queue].slice(0, perQueue).forEach(([text, ticket], i) => {
      const id = `${queue}-${i + 1}`;
      rules.push({ id, text });
      templates.push({ rule: id, queue, ticket });
    });
  }
  const items: SimulatedItem[] = Array.from({ length: size }, (_, n) => {
    const template = templates[n % templates.length];
    const number = 1000 + Math.floor(unit(seed, 'ticket', String(n)) * 9000);
    return {
      inputs: { ticket: `Ticket ${n + 1}: ${template.ticket.replace('{n}', String(number))}` },
      answers: { queue: template.queue },
      rule: template.rule,
    };
  });
  // A seeded order, so that any prefix mixes every rule.
  items.sort(
    (a, b) => unit(seed, 'order', String(a.inputs.ticket)) - unit(seed, 'order', String(b.inputs.ticket)),
  );
  const weights: SimulatorWeights = { ...WEIGHTS, ...options.weights };
  const prompt = (
    instruction: string,
    demos: readonly Readonly<Record<string, unknown>>[],
    item: SimulatedItem,
  ): ReadPrompt => ({
    format: 'chat',
    instructions: instruction,
    inputFields: [{ name: 'ticket', type: 'str' }],
    outputFields: [{ name: 'queue', type: `Literal[${QUEUES.map((q) => `'${q}'`).join(', ')}]` }],
    inputs: { ticket: String(item.inputs.ticket) },
    demos: demos.map((d) => ({
      inputs: { ticket: String(d.ticket ?? '') },
      outputs: { queue: String(d.queue ?? '') },
    })),
    retries: 0,
  });
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  return {
    queues: QUEUES,
    rules,
    items,
    instruction: 'Route the support ticket to the right queue.',
    weights,
    simulator: (extra = {}) =>
      new TaskSimulator({ items, rules, seed, weights, model: 'sigil-simulator/tickets', ...extra }),
    expectedAccuracy: (simulator, instruction, demos, subset) =>
      mean(subset.map((item) => simulator.accuracyOf(prompt(instruction, demos, item)))),
    optimum: (simulator, subset) => {
      const all = rules.map((r) => `- ${r.text}`).join('\n');
      const best = items
        .filter((item) => !subset.includes(item))
        .slice(0, weights.perDemo > 0 ? weights.maxDemos : 0)
        .map((item) => ({ ...item.inputs, ...item.answers }));
      return mean(subset.map((item) => simulator.accuracyOf(prompt(all, best, item))));
    },
  };
}
