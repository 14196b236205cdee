import { resolve } from 'node:path';
import { checkFormatCase, checkParseCase, loadWireCases } from './wire-cases';

/**
 * Sigil's own wire cases, in the golden files' shapes: DSPy's behaviour for literals, booleans, numbers,
 * list inputs, instructions, descriptions, incomplete demos, JSONAdapter messages and reply parsing.
 * Expected bytes follow DSPy's adapters (chat_adapter.py, json_adapter.py, utils.py), not Sigil's output.
 */
const { formatCases, parseCases } = loadWireCases(resolve(__dirname, 'cases'));

describe('Sigil wire cases (test/adapter/cases)', () => {
  it.each(formatCases)('formats %s exactly as DSPy does', (_name, c) => checkFormatCase(c));
  it.each(parseCases)('parses %s as DSPy does', (_name, c) => checkParseCase(c));
});
