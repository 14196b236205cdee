import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IsIn, Max, Min } from 'class-validator';
import { DatasetError, Input, loadDataset, oneOf, Output, Signature, signature } from '@sigil/core';

@Signature('Classify the sentiment of a review.')
class Sentiment {
  @Input() review!: string;
  @Output() @IsIn(['positive', 'negative', 'neutral']) label!: string;
  @Output() @Min(0) @Max(1) confidence!: number;
}

@Signature('Pick a topic.')
class Topic {
  @Input() text!: string;
  @Input({ type: [String] }) hints!: string[];
  @Output({ type: oneOf('sport', 'politics') }) topic!: string;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-validate-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, lines: object[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
  return path;
}

async function failureOf(promise: Promise<unknown>): Promise<DatasetError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DatasetError);
  return error as DatasetError;
}

describe('loadDataset({ validateWith: SignatureClass })', () => {
  it('accepts rows that carry every field with values of the right types', async () => {
    const path = file('good.jsonl', [
      { review: 'Great', label: 'positive', confidence: 0.9 },
      { review: 'Meh', label: 'neutral', confidence: '0.5', extra: 'kept as a label' },
    ]);
    const { examples, skipped } = await loadDataset(path, { inputs: ['review'], validateWith: Sentiment });
    expect(skipped).toEqual([]);
    expect(examples.map((e) => e.get('confidence'))).toEqual([0.9, '0.5']);
  });

  it('names the file, line and field of a row whose value does not fit the field type', async () => {
    const path = file('bad-type.jsonl', [
      { review: 'Great', label: 'positive', confidence: 0.9 },
      { review: 'Bad', label: 'negative', confidence: 'very' },
    ]);
    const error = await failureOf(loadDataset(path, { inputs: ['review'], validateWith: Sentiment }));
    expect(error.message).toMatch(
      new RegExp(
        `^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: field "confidence" of signature "Sentiment": expected a number`,
      ),
    );
    expect(error).toMatchObject({ line: 2, field: 'confidence' });
  });

  it('accepts partial labels, and reports a missing input or a row with no label at all', async () => {
    const rows = [
      { review: 'Great', label: 'positive' },
      { label: 'negative', confidence: 0.1 },
      { review: 'No label here' },
      { review: 'Sure', confidence: 'high' },
    ];
    const { examples, skipped } = await loadDataset(rows, {
      inputs: ['review'],
      validateWith: Sentiment,
      onError: 'skip',
    });
    expect(examples.map((e) => e.get('review'))).toEqual(['Great']);
    expect(skipped).toEqual([
      { file: '<rows>', row: 2, problem: 'missing input field "review" (fields: label, confidence)' },
      {
        file: '<rows>',
        row: 3,
        problem:
          'has none of the output fields of signature "Sentiment" (label, confidence): an example needs at least one label',
      },
      expect.objectContaining({ row: 4, field: 'confidence' }),
    ]);
  });

  it('converts a CSV row’s text to the field types once the signature accepted it', async () => {
    const path = join(dir, 'typed.csv');
    writeFileSync(path, 'review,label,confidence\nGreat,positive,0.9\nMeh,neutral,\n');
    const { examples } = await loadDataset(path, { inputs: ['review'], validateWith: Sentiment });
    // An empty cell under an output is a missing label, not an empty one.
    expect(examples.map((e) => e.get('confidence'))).toEqual([0.9, undefined]);
    expect(examples.map((e) => e.get('label'))).toEqual(['positive', 'neutral']);
  });

  it('applies the class-validator constraints of the output fields', async () => {
    const path = file('constraints.jsonl', [
      { review: 'Great', label: 'glowing', confidence: 0.9 },
      { review: 'Sure', label: 'positive', confidence: 3 },
      { review: 'Fine', label: 'positive', confidence: 1 },
    ]);
    const skipped: { line?: number; field?: string; problem: string }[] = [];
    const { examples } = await loadDataset(path, {
      inputs: ['review'],
      validateWith: Sentiment,
      onError: 'skip',
      onSkip: (row) => skipped.push(row),
    });
    expect(examples).toHaveLength(1);
    expect(skipped.map(({ line, field }) => ({ line, field }))).toEqual([
      { line: 1, field: 'label' },
      { line: 2, field: 'confidence' },
    ]);
    expect(skipped[0].problem).toMatch(/signature "Sentiment": label: .*positive, negative, neutral/);
    expect(skipped[1].problem).toMatch(/confidence: .*must not be greater than 1/);
  });

  it('checks list and literal types, and CSV strings the adapters would read', async () => {
    const csv = join(dir, 'topics.csv');
    writeFileSync(csv, 'text,hints,topic\nGoal!,"[""ball""]",sport\nVote,none,politics\nTax,[],weather\n');
    const { examples, skipped } = await loadDataset(csv, {
      inputs: ['text', 'hints'],
      validateWith: Topic,
      onError: 'skip',
    });
    expect(examples.map((e) => e.get('text'))).toEqual(['Goal!']);
    expect(skipped.map(({ line, field }) => ({ line, field }))).toEqual([
      { line: 3, field: 'hints' },
      { line: 4, field: 'topic' },
    ]);
    expect(skipped[0].problem).toMatch(/field "hints" of signature "Topic": expected a list/);
  });

  it('accepts a string signature too', async () => {
    const rows = [{ question: 'q', answer: 'a' }, { question: 'q' }];
    const error = await failureOf(
      loadDataset(rows, { inputs: ['question'], validateWith: signature('question -> answer') }),
    );
    expect(error.message).toMatch(
      /^<rows> \(row 2\): has none of the output fields of signature "StringSignature" \(answer\)/,
    );
  });
});
