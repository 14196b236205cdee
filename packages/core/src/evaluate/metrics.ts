import { MetricError } from './errors';
import { defineMetric, type Metric } from './metric';
import { normalizedTokens, normalizeText, passageTokens } from '../text/normalize';

/** Where the built-in metrics read: the label field on the example, the output field on the prediction. */
export interface FieldMetricOptions {
  /** The prediction field to compare; defaults to the same name as the example field. */
  predictionField?: string;
}

/**
 * DSPy's `answer_exact_match`: 1 when the normalised prediction equals the normalised label (or any of
 * several acceptable labels, when the label is an array).
 * @example new Evaluate({ devset, metric: exactMatch('answer') })
 */
export function exactMatch(field = 'answer', options: FieldMetricOptions = {}): Metric {
  return defineMetric(
    'exactMatch',
    (example, prediction) => {
      const predicted = normalizeText(textOf(read(prediction, options.predictionField ?? field)));
      return labelsOf(example, field).some((label) => normalizeText(label) === predicted);
    },
    { field, ...options },
  );
}

/**
 * Token F1 (SQuAD / DSPy's `F1`) after the same normalisation, the best over acceptable labels.
 * @example metric: f1('answer')
 */
export function f1(field = 'answer', options: FieldMetricOptions = {}): Metric {
  return defineMetric(
    'f1',
    (example, prediction) => {
      const predicted = normalizedTokens(textOf(read(prediction, options.predictionField ?? field)));
      return Math.max(
        0,
        ...labelsOf(example, field).map((label) => tokenF1(predicted, normalizedTokens(label))),
      );
    },
    { field, ...options },
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
    (example, prediction) => {
      const predicted = ` ${normalizeText(textOf(read(prediction, options.predictionField ?? field)))} `;
      return labelsOf(example, field).some((label) => {
        const normalized = normalizeText(label);
        return normalized !== '' && predicted.includes(` ${normalized} `);
      });
    },
    { field, ...options },
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
