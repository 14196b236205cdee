import { createHash } from 'node:crypto';
import type { ShownRecord } from './reflection-reader';

/**
 * A fact of the simulated task that an instruction can state ("Tickets quoting an INV- number go to
 * billing."). Items decided by a rule are answered far better when the prompt's instruction contains the
 * rule's text; the simulator writes that text into the instructions it proposes once the examples and
 * feedback it is shown reveal the rule.
 */
export interface SimulatedRule {
  /** What items name in `rule`. */
  id: string;
  /** The sentence an instruction must contain to state the rule. */
  text: string;
}

/** What the simulator knows of one shown example: the item's rule, whether the shown output was right. */
export interface Evidence {
  rule?: string;
  correct: boolean;
  /** The feedback (or the shown text) names the right answer. */
  reveals: boolean;
}

/** Chances that one example reveals its rule to the simulator, by what it shows. */
export const LEARNING = {
  /** A wrong output whose feedback names the right answer. */
  failureWithAnswer: 0.9,
  /** A right output whose feedback confirms it. */
  successWithAnswer: 0.6,
  /** A right output with a bare score. */
  successWithScore: 0.35,
  /** A wrong output with a bare score: the simulator cannot tell what was expected. */
  failureWithScore: 0.1,
} as const;

/** The rules an instruction states (its text contains theirs, compared without case or spacing). */
export function statedRules(instruction: string, rules: readonly SimulatedRule[]): Set<string> {
  const text = normalize(instruction);
  return new Set(rules.filter((rule) => text.includes(normalize(rule.text))).map((rule) => rule.id));
}

/** The chance that a piece of evidence teaches its rule. */
export function learningChance(evidence: Evidence): number {
  if (evidence.reveals) return evidence.correct ? LEARNING.successWithAnswer : LEARNING.failureWithAnswer;
  return evidence.correct ? LEARNING.successWithScore : LEARNING.failureWithScore;
}

/**
 * The rules learned from `evidence`, each by a deterministic draw on (seed, salt, rule, example) against
 * its chance — the same prompt always teaches the same rules.
 */
export function learnRules(
  evidence: readonly Evidence[],
  rules: readonly SimulatedRule[],
  seed: number,
  salt: string,
): string[] {
  const learned = new Set<string>();
  evidence.forEach((e, i) => {
    if (!e.rule || learned.has(e.rule)) return;
    if (unit(seed, 'learn', salt, e.rule, String(i)) < learningChance(e)) learned.add(e.rule);
  });
  return rules.filter((rule) => learned.has(rule.id)).map((rule) => rule.id);
}

/** `instruction` with the texts of `ruleIds` it does not state yet appended, one per line. */
export function withRules(
  instruction: string,
  ruleIds: readonly string[],
  rules: readonly SimulatedRule[],
): string {
  const stated = statedRules(instruction, rules);
  const added = rules.filter((rule) => ruleIds.includes(rule.id) && !stated.has(rule.id));
  if (added.length === 0) return instruction;
  return `${instruction.trimEnd()}\n${added.map((rule) => `- ${rule.text}`).join('\n')}`;
}

/** True when `feedback` names `answer` as a whole word (case and punctuation aside). */
export function mentions(feedback: string, answer: unknown): boolean {
  const needle = words(typeof answer === 'string' ? answer : JSON.stringify(answer));
  return needle !== '' && ` ${words(feedback)} `.includes(` ${needle} `);
}

/** Evidence from a GEPA record, given the item it shows. */
export function evidenceOf(
  record: ShownRecord,
  item: { answers: Record<string, unknown>; rule?: string } | undefined,
): Evidence | undefined {
  if (!item) return undefined;
  const fields = Object.entries(item.answers);
  const correct = fields.every(([f, v]) => f in record.outputs && same(record.outputs[f], v));
  const reveals = fields.every(([, v]) => mentions(record.feedback, v));
  return { rule: item.rule, correct, reveals };
}

function same(text: string, value: unknown): boolean {
  const t = text.trim();
  return t === (typeof value === 'string' ? value.trim() : JSON.stringify(value)) || t === String(value);
}

function words(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function normalize(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** A deterministic draw in [0, 1) from the seed and some text. */
export function unit(seed: number, ...parts: string[]): number {
  const digest = createHash('sha1')
    .update(`${seed}\u0000${parts.join('\u0000')}`)
    .digest();
  return digest.readUInt32BE(0) / 0x100000000;
}
