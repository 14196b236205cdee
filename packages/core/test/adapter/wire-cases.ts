import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AdapterParseError,
  ChatAdapter,
  type ContentPart,
  Image,
  JSONAdapter,
  TwoStepAdapter,
  type Adapter,
} from '@sigil/core';
import { ScriptedLM } from '@sigil/testing';
import { asFloat, signatureFromDescription } from '@sigil/core/internal';

/** A format case (see test/golden/README.md): signature, demos and inputs → DSPy's messages. */
export interface FormatCase {
  name: string;
  adapter: string;
  signature: Parameters<typeof signatureFromDescription>[0];
  demos?: Record<string, unknown>[];
  inputs: Record<string, unknown>;
  /** Each message's content: its text, or (a user message holding images) its content parts. */
  expected_messages: { role: string; content: string | ContentPart[] }[];
  expected_lm_kwargs?: Record<string, unknown>;
}

/** A parse case: a completion → the outputs DSPy returns, or `"error"`. */
export interface ParseCase {
  name: string;
  adapter: string;
  signature: Parameters<typeof signatureFromDescription>[0];
  completion: string;
  expected: Record<string, unknown> | 'error';
  /** TwoStepAdapter cases: what the extraction model replies… */
  extraction_reply?: string;
  /** …and the messages it must be sent (DSPy's ChatAdapter prompt for `text -> outputs`). */
  expected_extraction_messages?: { role: string; content: string }[];
}

/** Keys a case may carry that say where it came from; the runner does not read them. */
const METADATA_KEYS = ['notes', 'source', 'base_signature'];
const FORMAT_KEYS = new Set([
  'name',
  'adapter',
  'signature',
  'demos',
  'inputs',
  'expected_messages',
  'expected_lm_kwargs',
  ...METADATA_KEYS,
]);
const PARSE_KEYS = new Set(['name', 'adapter', 'signature', 'completion', 'expected', ...METADATA_KEYS]);
const TWO_STEP_PARSE_KEYS = new Set([...PARSE_KEYS, 'extraction_reply', 'expected_extraction_messages']);
const ADAPTERS = ['chat', 'json', 'two_step'];

/** One runnable entry: a case to check, or the reason a case cannot be run (reported as a failure). */
export type WireEntry =
  | { kind: 'format'; title: string; case: FormatCase }
  | { kind: 'parse'; title: string; case: ParseCase }
  | { kind: 'invalid'; title: string; problem: string };

/** What a folder holds: the case entries, and the JSON files that are not case files (with why). */
export interface WireFolder {
  entries: WireEntry[];
  skipped: { file: string; reason: string }[];
}

/**
 * Reads every `*.json` file of a folder that holds an array of cases, whatever its name; other JSON files
 * (a saved program, for instance) are listed as skipped with the reason.
 */
export function loadWireCases(dir: string): WireFolder {
  const entries: WireEntry[] = [];
  const skipped: { file: string; reason: string }[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch (error) {
      entries.push({
        kind: 'invalid',
        title: file,
        problem: `${file} is not valid JSON: ${(error as Error).message}`,
      });
      continue;
    }
    if (!Array.isArray(data)) {
      skipped.push({
        file,
        reason: `it holds ${data === null ? 'null' : typeof data}, not an array of cases`,
      });
      continue;
    }
    data.forEach((c, i) => entries.push(classify(file, i, c)));
  }
  return { entries, skipped };
}

function classify(file: string, index: number, c: unknown): WireEntry {
  const title = `${file} › ${(c as { name?: unknown })?.name ?? `case ${index}`}`;
  const invalid = (problem: string): WireEntry => ({
    kind: 'invalid',
    title,
    problem: `${title}: ${problem}`,
  });
  if (c === null || typeof c !== 'object' || Array.isArray(c)) return invalid('a case must be an object');
  const record = c as Record<string, unknown>;
  if (!ADAPTERS.includes(record.adapter as string)) {
    return invalid(
      `unknown adapter ${JSON.stringify(record.adapter)}; a case names "chat", "json" or "two_step"`,
    );
  }
  const isParse = 'completion' in record;
  if (!isParse && !('expected_messages' in record)) {
    return invalid(
      'a case has either "completion" and "expected" (parse) or "inputs" and "expected_messages" (format)',
    );
  }
  const allowed = isParse ? (record.adapter === 'two_step' ? TWO_STEP_PARSE_KEYS : PARSE_KEYS) : FORMAT_KEYS;
  const unknown = Object.keys(record).filter((k) => !allowed.has(k));
  if (unknown.length > 0) {
    return invalid(
      `unknown key(s) ${unknown.map((k) => `"${k}"`).join(', ')}; a ${isParse ? 'parse' : 'format'} case takes ${[...allowed].join(', ')}`,
    );
  }
  return isParse
    ? { kind: 'parse', title, case: record as unknown as ParseCase }
    : { kind: 'format', title, case: record as unknown as FormatCase };
}

function adapterFor(kind: string, extractionModel = new ScriptedLM([])): Adapter {
  if (kind === 'two_step') return new TwoStepAdapter(extractionModel);
  return kind === 'json' ? new JSONAdapter() : new ChatAdapter();
}

/**
 * Tagged values of the case format: `{"$float": "3.0"}` is a Python float (JSON cannot say `3.0` apart
 * from `3`; `"nan"`, `"inf"` and `"-inf"` too), `{"$int": "12345678901234567890"}` an int of any size.
 * In inputs and demos a float becomes `asFloat(x)`, so it prints as Python prints it; in expected outputs
 * it is the number. `{"$image": "https://…"}` is a `dspy.Image` of that source (an `Image` here).
 */
export function decodeTagged(value: unknown, floats: 'asFloat' | 'number'): unknown {
  if (Array.isArray(value)) return value.map((v) => decodeTagged(v, floats));
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    const record = value as Record<string, unknown>;
    if (keys.length === 1 && keys[0] === '$image' && typeof record.$image === 'string') {
      return new Image(record.$image);
    }
    if (keys.length === 1 && keys[0] === '$float' && typeof record.$float === 'string') {
      const x = pythonFloat(record.$float);
      return floats === 'asFloat' ? asFloat(x) : x;
    }
    if (keys.length === 1 && keys[0] === '$int' && typeof record.$int === 'string') {
      const n = BigInt(record.$int);
      return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = decodeTagged(record[k], floats);
    return out;
  }
  return value;
}

function pythonFloat(text: string): number {
  if (text === 'nan') return NaN;
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  return Number(text);
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
  const demos = (c.demos ?? []).map((d) => decodeTagged(d, 'asFloat') as Record<string, unknown>);
  const inputs = decodeTagged(c.inputs, 'asFloat') as Record<string, unknown>;
  const messages = adapter.format(spec, demos, inputs);
  expect(messages.map((m) => ({ role: m.role, content: m.content }))).toEqual(c.expected_messages);
  if (c.expected_lm_kwargs) {
    const kwargs = toSnakeKwargs(adapter.callOptions(spec, { supportsStructuredOutputs: true }));
    expect(kwargs).toEqual(expect.objectContaining(c.expected_lm_kwargs));
  }
}

/**
 * Checks a TwoStepAdapter parse case: the extraction model is sent DSPy's messages, and its reply gives
 * DSPy's outputs.
 */
async function checkTwoStepParseCase(c: ParseCase): Promise<void> {
  const extractionModel = new ScriptedLM([c.extraction_reply ?? '']);
  const adapter = new TwoStepAdapter(extractionModel);
  const spec = signatureFromDescription(c.signature);
  const run = adapter.parseAsync(spec, c.completion, {
    callLM: (lm, messages, options) => lm.call(messages, options),
  });
  if (c.expected === 'error') await expect(run).rejects.toThrow(AdapterParseError);
  else expect({ ...(await run) }).toEqual(decodeTagged(c.expected, 'number'));
  if (c.expected_extraction_messages) {
    expect(extractionModel.calls[0].messages).toEqual(c.expected_extraction_messages);
  }
}

/** Checks one parse case: the parsed outputs, or that parsing fails with an `AdapterParseError`. */
export function checkParseCase(c: ParseCase): void | Promise<void> {
  if (c.adapter === 'two_step') return checkTwoStepParseCase(c);
  const adapter = adapterFor(c.adapter);
  const spec = signatureFromDescription(c.signature);
  if (c.expected === 'error') {
    expect(() => adapter.parse(spec, c.completion)).toThrow(AdapterParseError);
  } else {
    expect({ ...adapter.parse(spec, c.completion) }).toEqual(decodeTagged(c.expected, 'number'));
  }
}

/** Registers one Jest test per entry; entries that cannot run fail with their problem. */
export function defineWireTests(folder: WireFolder): void {
  for (const entry of folder.entries) {
    if (entry.kind === 'format')
      it(`formats ${entry.title} exactly as DSPy does`, () => checkFormatCase(entry.case));
    else if (entry.kind === 'parse')
      it(`parses ${entry.title} as DSPy does`, async () => checkParseCase(entry.case));
    else
      it(`runs ${entry.title}`, () => {
        throw new Error(entry.problem);
      });
  }
  for (const { file, reason } of folder.skipped) it.skip(`skips ${file}: ${reason}`, () => undefined);
}
