import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeTagged, loadWireCases } from './wire-cases';

const signature = {
  name: 'QA',
  instructions: null,
  fields: [
    { name: 'question', io: 'input', type: 'string' },
    { name: 'answer', io: 'output', type: 'string' },
  ],
};
const parseCase = {
  name: 'p',
  adapter: 'chat',
  signature,
  completion: '[[ ## answer ## ]]\nx',
  expected: { answer: 'x' },
};

describe('the golden-case runner (SIGIL_GOLDEN_DIR semantics)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sigil-golden-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs every file holding an array of cases, whatever its name', () => {
    writeFileSync(join(dir, 'anything.json'), JSON.stringify([parseCase]));
    writeFileSync(join(dir, 'more-cases-2.json'), JSON.stringify([{ ...parseCase, name: 'q' }]));
    const { entries, skipped } = loadWireCases(dir);
    expect(entries.map((e) => [e.kind, e.title])).toEqual([
      ['parse', 'anything.json › p'],
      ['parse', 'more-cases-2.json › q'],
    ]);
    expect(skipped).toEqual([]);
  });

  it('skips a JSON file that is not an array of cases, saying why', () => {
    writeFileSync(join(dir, 'saved-program-react.json'), JSON.stringify({ react: {} }));
    writeFileSync(join(dir, 'cases.json'), JSON.stringify([parseCase]));
    const { entries, skipped } = loadWireCases(dir);
    expect(entries).toHaveLength(1);
    expect(skipped).toEqual([
      { file: 'saved-program-react.json', reason: 'it holds object, not an array of cases' },
    ]);
  });

  it('reports a case with an unknown adapter as a failure instead of running it as ChatAdapter', () => {
    writeFileSync(join(dir, 'cases.json'), JSON.stringify([{ ...parseCase, adapter: 'xml' }]));
    const [entry] = loadWireCases(dir).entries;
    expect(entry).toEqual({
      kind: 'invalid',
      title: 'cases.json › p',
      problem: 'cases.json › p: unknown adapter "xml"; a case names "chat", "json" or "two_step"',
    });
  });

  it('allows the metadata keys notes, source and base_signature, and fails on other unknown keys', () => {
    const withMetadata = { ...parseCase, notes: 'n', source: 's', base_signature: 'QA' };
    writeFileSync(join(dir, 'cases.json'), JSON.stringify([withMetadata, { ...parseCase, expect: {} }]));
    const [ok, typo] = loadWireCases(dir).entries;
    expect(ok.kind).toBe('parse');
    expect(typo.kind).toBe('invalid');
    expect(typo.kind === 'invalid' && typo.problem).toContain('unknown key(s) "expect"');
  });

  it('reports a file that is not JSON as a failure', () => {
    writeFileSync(join(dir, 'broken.json'), '[{');
    const [entry] = loadWireCases(dir).entries;
    expect(entry.kind).toBe('invalid');
  });

  it('decodes tagged floats and big ints', () => {
    const value = decodeTagged(
      { a: { $float: '3.0' }, b: [{ $float: 'nan' }], c: { $int: '12345678901234567890' } },
      'number',
    );
    expect(value).toEqual({ a: 3, b: [NaN], c: 12345678901234567890n });
    const input = decodeTagged({ $float: '3.0' }, 'asFloat') as { constructor: Function };
    expect(input.constructor.name).toBe('FloatValue');
  });
});
