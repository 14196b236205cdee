import { MetricError } from './errors';
import { defineMetric, type Metric, type MetricValue } from './metric';
import { normalizedTokens, normalizeText, passageTokens } from '../text/normalize';

/** Where the built-in metrics read: the label field on the example, the output field on the prediction. */
export interface FieldMetricOptions {
  /** The prediction field to compare; defaults to the same name as the example field. */
  predictionField?: string;
  /**
   * Return `{ score, feedback }`, the feedback saying what was expected and what came, for reflective
   * optimizers such as GEPA (default false: a bare score). The score is the same either way.
   */
  feedback?: boolean;
}

/**
 * DSPy's `answer_exact_match`: 1 when the normalised prediction equals the normalised label (or any of
 * several acceptable labels, when the label is an array).
 * @example new Evaluate({ devset, metric: exactMatch('answer') })
 */
export function exactMatch(field = 'answer', options: FieldMetricOptions = {}): Metric {
  return defineMetric(
    'exactMatch',
    (example, prediction): MetricValue => {
      const raw = textOf(read(prediction, options.predictionField ?? field));
      const predicted = normalizeText(raw);
      const labels = labelsOf(example, field);
      const match = labels.find((label) => normalizeText(label) === predicted);
      if (!options.feedback) return match !== undefined;
      return match !== undefined
        ? { score: 1, feedback: `Correct: the ${field} is ${quote(match)}.` }
        : {
            score: 0,
            feedback: `Incorrect ${field}: expected ${expected(labels)}, got ${raw.trim() ? quote(raw) : 'nothing'}.`,
          };
    },
    identityOptions(field, options),
  );
}

/**
 * Token F1 (SQuAD / DSPy's `F1`) after the same normalisation, the best over acceptable labels.
 * @example metric: f1('answer')
 */
export function f1(field = 'answer', options: FieldMetricOptions = {}): Metric {
  return defineMetric(
    'f1',
    (example, prediction): MetricValue => {
      const raw = textOf(read(prediction, options.predictionField ?? field));
      const predicted = normalizedTokens(raw);
      const labels = labelsOf(example, field);
      const scores = labels.map((label) => tokenF1(predicted, normalizedTokens(label)));
      const score = Math.max(0, ...scores);
      if (!options.feedback) return score;
      const best = labels[Math.max(0, scores.indexOf(score))] ?? '';
      if (score === 1)
        return { score, feedback: `Correct: the ${field} matches ${quote(best)} word for word.` };
      const wanted = normalizedTokens(best);
      const missing = wanted.filter((token) => !predicted.includes(token));
      const extra = predicted.filter((token) => !wanted.includes(token));
      const parts = [
        missing.length > 0 && `missing words: ${missing.join(', ')}`,
        extra.length > 0 && `extra words: ${extra.join(', ')}`,
      ].filter(Boolean);
      return {
        score,
        feedback:
          `Token F1 ${score.toFixed(2)} for the ${field} ${raw.trim() ? quote(raw) : '(empty)'} against ` +
          `${quote(best)}${parts.length > 0 ? ` — ${parts.join('; ')}` : ''}.`,
      };
    },
    identityOptions(field, options),
  );
}

/**
 * 1 when a normalised label appears in the normalised prediction as whole words
 * (`'paris'` is in `'It is Paris.'`, not in `'Parisian'`).
 * @example metric: contains('answer')
 */
export function contains(field = 'answer', options: FieldMetricOptions = {}): Metric {
  return defineMetric(
    'contains',
    (example, prediction): MetricValue => {
      const raw = textOf(read(prediction, options.predictionField ?? field));
      const predicted = ` ${normalizeText(raw)} `;
      const labels = labelsOf(example, field);
      const found = labels.find((label) => {
        const normalized = normalizeText(label);
        return normalized !== '' && predicted.includes(` ${normalized} `);
      });
      if (!options.feedback) return found !== undefined;
      return found !== undefined
        ? { score: 1, feedback: `Correct: the ${field} contains ${quote(found)}.` }
        : {
            score: 0,
            feedback: `Incorrect: the ${field} ${raw.trim() ? quote(raw) : '(empty)'} does not contain ${expected(labels)}.`,
          };
    },
    identityOptions(field, options),
  );
}

/**
 * DSPy's `answer_passage_match`: 1 when any retrieved passage contains a label as a token sequence.
 * Passages are read from the prediction's `field` (a string or an array), else from the example's.
 * @example metric: passageMatch('context', 'answer')
 */
export function passageMatch(field = 'context', answerField = 'answer'): Metric {
  return defineMetric(
    'passageMatch',
    (example, prediction) => {
      const source = has(prediction, field) ? prediction : example;
      const raw = read(source, field);
      const passages = (Array.isArray(raw) ? raw : [raw]).map((passage) => passageTokens(textOf(passage)));
      const answers = labelsOf(example, answerField)
        .map(passageTokens)
        .filter((tokens) => tokens.length > 0);
      return answers.some((answer) => passages.some((passage) => containsSequence(passage, answer)));
    },
    { field, answerField },
  );
}

/** What names a field metric: its field and options, `feedback` only when on (off is the plain metric). */
function identityOptions(field: string, options: FieldMetricOptions): Record<string, unknown> {
  const { feedback, ...rest } = options;
  return feedback ? { field, ...rest, feedback: true } : { field, ...rest };
}

/** A value quoted for feedback text, cut to a readable length. */
function quote(text: string): string {
  const trimmed = text.trim();
  return JSON.stringify(trimmed.length > 300 ? `${trimmed.slice(0, 300)}…` : trimmed);
}

/** `"a"`, or `"a" (or any of "a", "b")` when several labels are acceptable. */
function expected(labels: readonly string[]): string {
  if (labels.length === 0) return 'a label';
  return labels.length === 1
    ? quote(labels[0])
    : `${quote(labels[0])} (or any of ${labels.map(quote).join(', ')})`;
}

/** Token F1 of two token lists; 0 when nothing is shared (also when both are empty, as DSPy). */
export function tokenF1(predicted: readonly string[], expected: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const token of expected) counts.set(token, (counts.get(token) ?? 0) + 1);
  let shared = 0;
  for (const token of predicted) {
    const left = counts.get(token) ?? 0;
    if (left > 0) {
      shared++;
      counts.set(token, left - 1);
    }
  }
  if (shared === 0) return 0;
  const precision = shared / predicted.length;
  const recall = shared / expected.length;
  return (2 * precision * recall) / (precision + recall);
}

function containsSequence(haystack: readonly string[], needle: readonly string[]): boolean {
  outer: for (let start = 0; start + needle.length <= haystack.length; start++) {
    for (let offset = 0; offset < needle.length; offset++) {
      if (haystack[start + offset] !== needle[offset]) continue outer;
    }
    return true;
  }
  return false;
}

/** The acceptable labels of a field: a string, a number, or an array of them. */
function labelsOf(example: unknown, field: string): string[] {
  if (!has(example, field)) {
    throw new MetricError(
      `The metric reads the label "${field}", but the example has no such field (fields: ${fieldsOf(example)}) — pass the label field's name.`,
    );
  }
  const label = read(example, field);
  return (Array.isArray(label) ? label : [label]).map(textOf);
}

function has(value: unknown, field: string): boolean {
  return (
    value !== null && typeof value === 'object' && (value as Record<string, unknown>)[field] !== undefined
  );
}

function read(value: unknown, field: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[field] : undefined;
}

function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(textOf).join(' ');
  return JSON.stringify(value);
}

function fieldsOf(value: unknown): string {
  return value !== null && typeof value === 'object' ? Object.keys(value).join(', ') || 'none' : 'none';
}
