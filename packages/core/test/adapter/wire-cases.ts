import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AdapterParseError, ChatAdapter, JSONAdapter, type Adapter } from '@sigil/core';
import { signatureFromDescription } from '@sigil/core/internal';

/** A format case of the spec (`../shared/spec/README.md`): signature, demos and inputs → DSPy's messages. */
export interface FormatCase {
  name: string;
  adapter: 'chat' | 'json';
  signature: Parameters<typeof signatureFromDescription>[0];
  demos?: Record<string, unknown>[];
  inputs: Record<string, unknown>;
  expected_messages: { role: string; content: string }[];
  expected_lm_kwargs?: Record<string, unknown>;
}

/** A parse case of the spec: a completion → the outputs DSPy returns, or `"error"`. */
export interface ParseCase {
  name: string;
  adapter: 'chat' | 'json';
  signature: Parameters<typeof signatureFromDescription>[0];
  completion: string;
  expected: Record<string, unknown> | 'error';
}

/** Reads every `*.json` case file of a folder whose name matches `filter`, split into format and parse cases. */
export function loadWireCases(dir: string, filter = /\.json$/) {
  const formatCases: [string, FormatCase][] = [];
  const parseCases: [string, ParseCase][] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json') && filter.test(f))) {
    const cases = JSON.parse(readFileSync(join(dir, file), 'utf8')) as (FormatCase | ParseCase)[];
    for (const c of cases) {
      if ('completion' in c) parseCases.push([`${file} › ${c.name}`, c]);
      else formatCases.push([`${file} › ${c.name}`, c]);
    }
  }
  return { formatCases, parseCases };
}

function adapterFor(kind: 'chat' | 'json'): Adapter {
  return kind === 'json' ? new JSONAdapter() : new ChatAdapter();
}

function toSnakeKwargs(options: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) out[k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = v;
  return out;
}

/** Checks one format case: the messages, byte for byte, and the LM kwargs when the case states them. */
export function checkFormatCase(c: FormatCase): void {
  const adapter = adapterFor(c.adapter);
  const spec = signatureFromDescription(c.signature);
  const messages = adapter.format(spec, c.demos ?? [], c.inputs);
  expect(messages.map((m) => ({ role: m.role, content: m.content }))).toEqual(c.expected_messages);
  if (c.expected_lm_kwargs) {
    const kwargs = toSnakeKwargs(adapter.callOptions(spec, { supportsStructuredOutputs: true }));
    expect(kwargs).toEqual(expect.objectContaining(c.expected_lm_kwargs));
  }
}

/** Checks one parse case: the parsed outputs, or that parsing fails. */
export function checkParseCase(c: ParseCase): void {
  const adapter = adapterFor(c.adapter);
  const spec = signatureFromDescription(c.signature);
  if (c.expected === 'error') {
    expect(() => adapter.parse(spec, c.completion)).toThrow(AdapterParseError);
  } else {
    expect({ ...adapter.parse(spec, c.completion) }).toEqual(c.expected);
  }
}
