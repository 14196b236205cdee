import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ChatAdapter, JSONAdapter, signatureFromDescription, type Adapter } from '@sigil/core';

/**
 * Runs every case of the wire-format golden files (DSPy's own outputs). The folder comes from
 * SIGIL_GOLDEN_DIR when set, so further cases in the same shapes can be run against Sigil.
 */
const goldenDir = process.env.SIGIL_GOLDEN_DIR
  ? resolve(process.env.SIGIL_GOLDEN_DIR)
  : resolve(__dirname, '../../../../../shared/spec/golden');

interface FormatCase {
  name: string;
  adapter: 'chat' | 'json';
  signature: Parameters<typeof signatureFromDescription>[0];
  demos: Record<string, unknown>[];
  inputs: Record<string, unknown>;
  expected_messages: { role: string; content: string }[];
  expected_lm_kwargs?: Record<string, unknown>;
}

interface ParseCase {
  name: string;
  adapter: 'chat' | 'json';
  signature: Parameters<typeof signatureFromDescription>[0];
  completion: string;
  expected: Record<string, unknown> | 'error';
}

const files = readdirSync(goldenDir).filter((f) => f.endsWith('.json') && /adapter/.test(f));
const formatCases: [string, FormatCase][] = [];
const parseCases: [string, ParseCase][] = [];
for (const file of files) {
  const cases = JSON.parse(readFileSync(join(goldenDir, file), 'utf8')) as (FormatCase | ParseCase)[];
  for (const c of cases) {
    if ('completion' in c) parseCases.push([`${file} › ${c.name}`, c]);
    else formatCases.push([`${file} › ${c.name}`, c]);
  }
}

function adapterFor(kind: 'chat' | 'json'): Adapter {
  return kind === 'json' ? new JSONAdapter() : new ChatAdapter();
}

function toSnakeKwargs(options: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) out[k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = v;
  return out;
}

describe(`golden wire cases from ${goldenDir}`, () => {
  it('finds golden cases to run', () => {
    expect(formatCases.length + parseCases.length).toBeGreaterThan(0);
  });

  if (formatCases.length > 0) {
    it.each(formatCases)('formats %s exactly as DSPy does', (_name, c) => {
      const adapter = adapterFor(c.adapter);
      const spec = signatureFromDescription(c.signature);
      const messages = adapter.format(spec, c.demos ?? [], c.inputs);
      expect(messages.map((m) => ({ role: m.role, content: m.content }))).toEqual(c.expected_messages);
      if (c.expected_lm_kwargs) {
        const kwargs = toSnakeKwargs(adapter.callOptions(spec, { supportsStructuredOutputs: true }));
        expect(kwargs).toEqual(expect.objectContaining(c.expected_lm_kwargs));
      }
    });
  }

  if (parseCases.length > 0) {
    it.each(parseCases)('parses %s as DSPy does', (_name, c) => {
      const adapter = adapterFor(c.adapter);
      const spec = signatureFromDescription(c.signature);
      if (c.expected === 'error') {
        expect(() => adapter.parse(spec, c.completion)).toThrow();
      } else {
        expect(adapter.parse(spec, c.completion)).toEqual(c.expected);
      }
    });
  }
});
