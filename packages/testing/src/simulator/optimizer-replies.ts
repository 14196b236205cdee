/**
 * How the simulator answers the optimizers' own prompts — GEPA's reflection, MIPRO's instruction proposer
 * and SIMBA's advice — in a grounded way: it writes a task rule into the instruction only when an example
 * it is shown reveals that rule (a failure whose feedback names the right answer, most reliably), so a
 * proposal is better exactly when the examples and feedback behind it are informative.
 */
import {
  type Evidence,
  evidenceOf,
  learnRules,
  mentions,
  type SimulatedRule,
  statedRules,
  unit,
  withRules,
} from './knowledge';
import type { ReadPrompt } from './prompt-reader';
import { readFieldBlocks, type ReflectionRequest } from './reflection-reader';

/** What the replies need to know of the simulator. */
export interface SimulatorView {
  readonly seed: number;
  readonly rules: readonly SimulatedRule[];
  readonly proposals: readonly string[];
  /** The names of the items' inputs (to find items in free text). */
  readonly inputNames: readonly string[];
  itemFor(inputs: Record<string, unknown>): { answers: Record<string, unknown>; rule?: string } | undefined;
  instructionQuality(text: string): number;
}

/** Generic sentences a reflection adds when it learned no rule (a rewrite, not new knowledge). */
const REWRITES = [
  'Read the whole input before answering.',
  'Answer with exactly one of the allowed values.',
  'Base the answer only on what the input says.',
  'Check the answer against the input once more before replying.',
];

const READ_ONLY = '(Read-only context:';

/** The reply to GEPA's reflection prompt: the instruction in a fenced block. */
export function reflectionReply(view: SimulatorView, request: ReflectionRequest, salt: string): string {
  const current = request.instruction.split(READ_ONLY)[0].trim();
  const evidence = request.records
    .map((record) => evidenceOf(record, view.itemFor(record.inputs)))
    .filter((e): e is Evidence => e !== undefined);
  let text: string;
  if (view.rules.length > 0) {
    const learned = learnRules(evidence, view.rules, view.seed, salt);
    text = withRules(current, learned, view.rules);
    if (text === current) text = rewrite(current, view.seed, salt);
  } else {
    const informative = evidence.filter((e) => e.reveals).length / Math.max(1, evidence.length);
    text = pickProposal(view, [current], informative, salt);
  }
  return `Here is the improved instruction:\n\`\`\`\n${text}\n\`\`\``;
}

/**
 * MIPRO's proposer: a candidate from the simulator's list (as before), plus the rules the shown examples
 * reveal — worked examples (right answers, no feedback) rarely, failures with feedback most of the time.
 */
export function proposalReply(view: SimulatorView, prompt: ReadPrompt, salt: string): string {
  const tried = Object.values(prompt.inputs).join('\n');
  const base = pickProposal(view, tried.split('\n'), 0, salt);
  if (view.rules.length === 0) return base;
  const evidence: Evidence[] = [];
  for (const [field, text] of Object.entries(prompt.inputs)) {
    const failures = /failure|feedback|wrong/.test(field);
    if (!failures && !/example/.test(field)) continue;
    for (const block of readFieldBlocks(text)) {
      const inputs = Object.fromEntries(view.inputNames.filter((n) => n in block).map((n) => [n, block[n]]));
      const item = view.itemFor(inputs);
      if (!item) continue;
      if (!failures) {
        evidence.push({ rule: item.rule, correct: true, reveals: false });
        continue;
      }
      const outputs = Object.fromEntries(
        Object.entries(block)
          .filter(([k]) => k.startsWith('output '))
          .map(([k, v]) => [k.slice('output '.length), v]),
      );
      const shown = evidenceOf({ inputs, outputs, feedback: block.feedback ?? '' }, item);
      if (shown) evidence.push(shown);
    }
  }
  return withRules(base, learnRules(evidence, view.rules, view.seed, salt), view.rules);
}

/** SIMBA's advice: per module, a rule the contrast of a better and a worse run reveals, or a generic tip. */
export function adviceReply(view: SimulatorView, prompt: ReadPrompt, salt: string): Record<string, string> {
  const modules = parseJson<string[]>(prompt.inputs.module_names) ?? ['self'];
  const inputs = parseJson<Record<string, unknown>>(prompt.inputs.program_inputs) ?? {};
  const item = view.itemFor(inputs);
  const better = Number(prompt.inputs.better_reward_value);
  const worse = Number(prompt.inputs.worse_reward_value);
  const contrast = !(better <= worse);
  const oracle = prompt.inputs.oracle_metadata ?? '';
  const reveals = item !== undefined && Object.values(item.answers).every((a) => mentions(oracle, a));
  const rule = view.rules.find((r) => r.id === item?.rule);
  const chance = contrast && reveals ? 0.85 : 0.3;
  const learned = rule && unit(view.seed, 'advice', salt, rule.id) < chance;
  const advice = learned
    ? `If the module receives a request like this one, then it should apply this rule: ${rule.text}`
    : 'If the module receives an input like this one, then it should read all of it and answer exactly.';
  return Object.fromEntries(modules.map((name) => [name, advice]));
}

/** The text of an instruction the simulator rewrote without learning anything: one generic sentence more. */
function rewrite(current: string, seed: number, salt: string): string {
  const fresh = REWRITES.filter((s) => !current.includes(s));
  const pool = fresh.length > 0 ? fresh : REWRITES;
  const sentence = pool[Math.floor(unit(seed, 'rewrite', salt) * pool.length) % pool.length];
  return fresh.length > 0 ? `${current.trimEnd()}\n${sentence}` : current;
}

/**
 * A proposal from the list that is not among `tried`: the best-judged one with a chance that grows with
 * how informative the shown examples were, otherwise a random one.
 */
function pickProposal(
  view: SimulatorView,
  tried: readonly string[],
  informative: number,
  salt: string,
): string {
  const seen = new Set(tried.map((t) => t.trim().toLowerCase()));
  const fresh = view.proposals.filter((p) => !seen.has(p.trim().toLowerCase()));
  const pool = fresh.length > 0 ? fresh : view.proposals;
  if (unit(view.seed, 'pick', salt) < 0.2 + 0.6 * informative) {
    return [...pool].sort((a, b) => view.instructionQuality(b) - view.instructionQuality(a))[0];
  }
  return pool[Math.floor(unit(view.seed, 'proposal', salt) * pool.length) % pool.length];
}

/** Rules an instruction states (re-exported for the simulator's accuracy). */
export { statedRules };

function parseJson<T>(text: string | undefined): T | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
