import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetError, loadDataset, streamDataset } from '@sigil/core';
import { type SkippedRow } from '@sigil/core/internal';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-dataset-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
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

const jsonl = [
  '{"question":"q1","answer":"a1"}',
  '',
  '{"question":"q2","answer":"a2"}',
  '{"question": "q3", oops}',
  '{"answer":"a4"}',
  '[1,2]',
  '{"question":"q6","answer":"a6"}',
].join('\n');

describe('loadDataset', () => {
  it('loads JSONL rows as examples with inputs marked', async () => {
    const path = file(
      'good.jsonl',
      '\ufeff{"question":"q1","answer":"a1"}\r\n{"question":"q2","answer":"a2"}\r\n',
    );
    const { examples, skipped } = await loadDataset(path, { inputs: ['question'] });
    expect(skipped).toEqual([]);
    expect(examples.map((example) => example.toJSON())).toEqual([
      { question: 'q1', answer: 'a1' },
      { question: 'q2', answer: 'a2' },
    ]);
    expect(examples[0].inputs().toJSON()).toEqual({ question: 'q1' });
  });

  it('fails on a bad JSON line, naming file and line', async () => {
    const path = file('bad.jsonl', jsonl);
    const error = await failureOf(loadDataset(path, { inputs: ['question'] }));
    expect(error.file).toBe(path);
    expect(error.line).toBe(4);
    expect(error.message).toContain(`${path}:4: invalid JSON`);
    expect(error.message).toContain("onError: 'skip'");
  });

  it('skips and reports every malformed row with onError: skip', async () => {
    const path = file('bad2.jsonl', jsonl);
    const seen: SkippedRow[] = [];
    const { examples, skipped } = await loadDataset(path, {
      inputs: ['question'],
      onError: 'skip',
      onSkip: (row) => seen.push(row),
    });
    expect(examples.map((example) => example.question)).toEqual(['q1', 'q2', 'q6']);
    expect(skipped.map(({ line, row }) => [line, row])).toEqual([
      [4, 3],
      [5, 4],
      [6, 5],
    ]);
    expect(skipped[0].problem).toMatch(/^invalid JSON/);
    expect(skipped[1].problem).toBe('missing input field "question" (fields: answer)');
    expect(skipped[2].problem).toBe('expected an object of fields, got an array');
    expect(seen).toEqual(skipped);
  });

  it('fails on a missing input column', async () => {
    const path = file('missing.jsonl', '{"question":"q1"}\n{"q":"q2"}\n');
    const error = await failureOf(loadDataset(path, { inputs: ['question'] }));
    expect(error.message).toBe(
      `${path}:2: missing input field "question" (fields: q) — fix the row, or pass onError: 'skip' to skip it and have it reported`,
    );
  });

  it('loads CSV with a header, quoted fields and a BOM, keeping values as strings', async () => {
    const path = file('qa.csv', '\ufeffquestion,answer\n"Who, really?","x\ny"\n\n2+2,4\n');
    const { examples } = await loadDataset(path, { inputs: ['question'] });
    expect(examples.map((example) => example.toJSON())).toEqual([
      { question: 'Who, really?', answer: 'x\ny' },
      { question: '2+2', answer: '4' },
    ]);
  });

  it('keeps a CSV column named __proto__ as a plain field, as JSONL does (issue 16, F15)', async () => {
    const csv = file('proto.csv', '__proto__,question,answer\npolluted,q1,a1\n');
    const jsonl = file('proto.jsonl', '{"__proto__":"polluted","question":"q1","answer":"a1"}\n');
    for (const path of [csv, jsonl]) {
      const { examples } = await loadDataset(path, { inputs: ['question', '__proto__'] });
      expect(examples[0].get('__proto__')).toBe('polluted');
      expect(Object.keys(examples[0].toJSON())).toEqual(['__proto__', 'question', 'answer']);
      expect(examples[0].inputs().get('__proto__')).toBe('polluted');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reports a ragged CSV row with its line, or skips it', async () => {
    const path = file('ragged.csv', 'question,answer\n"multi\nline",a\nq2\nq3,a3\nq4,a4,extra\n');
    const error = await failureOf(loadDataset(path, { inputs: ['question'] }));
    expect(error.line).toBe(4);
    expect(error.row).toBe(2);
    expect(error.problem).toBe('has 1 field but the header has 2 (question, answer)');
    const { examples, skipped } = await loadDataset(path, { inputs: ['question'], onError: 'skip' });
    expect(examples.map((example) => example.question)).toEqual(['multi\nline', 'q3']);
    expect(skipped.map(({ line, problem }) => `${line}: ${problem}`)).toEqual([
      '4: has 1 field but the header has 2 (question, answer)',
      '6: has 3 fields but the header has 2 (question, answer)',
    ]);
  });

  it('fails on a CSV that cannot be parsed at all, whatever onError says', async () => {
    const path = file('quote.csv', 'question,answer\nq1,a1\n"q2,a2\nq3,a3\nq4,a4\n');
    const error = await failureOf(loadDataset(path, { inputs: ['question'], onError: 'skip' }));
    expect(error.message).toMatch(/Malformed CSV record .*Quote Not Closed.*the parser stopped at line 5/);
    // Reported where the broken record starts (line 3), not where the parser gave up.
    expect(error).toMatchObject({ code: 'DATASET', line: 3, row: 2 });
  });

  it('reads TSV and JSON arrays', async () => {
    const tsv = file('qa.tsv', 'question\tanswer\nq1\ta1\n');
    expect((await loadDataset(tsv, { inputs: ['question'] })).examples[0].answer).toBe('a1');
    const json = file('qa.json', JSON.stringify([{ question: 'q1', answer: 'a1' }, 'nope']));
    const { examples, skipped } = await loadDataset(json, { inputs: ['question'], onError: 'skip' });
    expect(examples).toHaveLength(1);
    expect(skipped).toEqual([{ file: json, row: 2, problem: 'expected an object of fields, got a string' }]);
  });

  it('fails on a JSON file that is not an array, or not JSON', async () => {
    const object = file('object.json', '{"question":"q"}');
    expect((await failureOf(loadDataset(object, { inputs: ['question'] }))).message).toMatch(
      /Expected a JSON array/,
    );
    const broken = file('broken.json', '[\n{"question": "q"},\n{oops}\n]');
    const error = await failureOf(loadDataset(broken, { inputs: ['question'] }));
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/Invalid JSON/);
  });

  it('rejects an unknown extension unless a format is given', async () => {
    const path = file('qa.txt', '{"question":"q1"}\n');
    const error = await failureOf(loadDataset(path, { inputs: ['question'] }));
    expect(error.message).toMatch(/Cannot tell the format from the extension ".txt".*format: 'jsonl'/);
    expect((await loadDataset(path, { inputs: ['question'], format: 'jsonl' })).examples).toHaveLength(1);
  });

  it('names a missing file and where it was looked for', async () => {
    const error = await failureOf(loadDataset(join(dir, 'nope.jsonl'), { inputs: ['question'] }));
    expect(error.message).toMatch(/nope\.jsonl: File not found \(resolved to .*nope\.jsonl\)/);
  });

  it('reports validation problems, failing or skipping', async () => {
    const rows = [
      { question: 'q1', answer: 'a1' },
      { question: 'q2', answer: '' },
    ];
    const validateWith = (row: Record<string, unknown>) =>
      row.answer === '' ? 'answer is empty' : undefined;
    const error = await failureOf(loadDataset(rows, { inputs: ['question'], validateWith }));
    expect(error.message).toMatch(/^<rows> \(row 2\): answer is empty/);
    const { examples, skipped } = await loadDataset(rows, {
      inputs: ['question'],
      validateWith,
      onError: 'skip',
    });
    expect(examples).toHaveLength(1);
    expect(skipped).toEqual([{ file: '<rows>', row: 2, problem: 'answer is empty' }]);
  });

  it('says clearly when validateWith gets a class that is not a signature', async () => {
    class QA {}
    await expect(
      loadDataset([{ question: 'q' }], { inputs: ['question'], validateWith: QA }),
    ).rejects.toThrow(/validateWith got the class "QA", which is not a usable signature/);
  });

  it('maps rows before building examples, and drops rows mapped to undefined', async () => {
    const rows = [
      { q: 'q1', a: '1' },
      { q: 'skip me', a: '2' },
    ];
    const { examples } = await loadDataset(rows, {
      inputs: ['question'],
      map: (row) => (row.q === 'skip me' ? undefined : { question: row.q as string, answer: Number(row.a) }),
    });
    expect(examples.map((example) => example.toJSON())).toEqual([{ question: 'q1', answer: 1 }]);
    const answer: number = examples[0].answer;
    expect(answer).toBe(1);
  });

  it('reports reserved field names as a row problem', async () => {
    const error = await failureOf(loadDataset([{ question: 'q', labels: 'x' }], { inputs: ['question'] }));
    expect(error.message).toMatch(/cannot be named "labels"/);
  });

  it('rejects options without inputs', async () => {
    await expect(loadDataset([{ question: 'q' }], { inputs: [] })).rejects.toThrow(/at least one input/);
  });
});

describe('streamDataset', () => {
  it('yields examples one by one from JSONL and CSV', async () => {
    const path = file('stream.jsonl', jsonl);
    const seen: string[] = [];
    const questions: string[] = [];
    for await (const example of streamDataset(path, {
      inputs: ['question'],
      onError: 'skip',
      onSkip: ({ line }) => seen.push(String(line)),
    })) {
      questions.push(example.question);
    }
    expect(questions).toEqual(['q1', 'q2', 'q6']);
    expect(seen).toEqual(['4', '5', '6']);
    const csv = file('stream.csv', 'question,answer\nq1,a1\nq2,a2\n');
    const fromCsv: string[] = [];
    for await (const example of streamDataset(csv, { inputs: ['question'] })) fromCsv.push(example.answer);
    expect(fromCsv).toEqual(['a1', 'a2']);
  });

  it('refuses to stream a JSON array', async () => {
    const path = file('stream.json', '[]');
    const iterate = async () => {
      for await (const _ of streamDataset(path, { inputs: ['question'] })) void _;
    };
    await expect(iterate()).rejects.toThrow(/cannot be streamed.*JSONL/);
  });

  it('throws the row error at the malformed row in fail mode', async () => {
    const path = file('stream-bad.jsonl', jsonl);
    const questions: string[] = [];
    const iterate = async () => {
      for await (const example of streamDataset(path, { inputs: ['question'] }))
        questions.push(example.question);
    };
    await expect(iterate()).rejects.toThrow(`${path}:4: invalid JSON`);
    expect(questions).toEqual(['q1', 'q2']);
  });
});
