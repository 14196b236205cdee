import { resolve } from 'node:path';
import { defineWireTests, loadWireCases } from './wire-cases';

/**
 * Sigil's own wire cases, in the golden files' shapes (test/golden/README.md). The dspy-*.json files were
 * recorded by running DSPy 3.3.1 with json_repair 0.61.7 on inputs written for each kind of behaviour; the
 * others follow DSPy's adapters (chat_adapter.py, json_adapter.py, utils.py), not Sigil's output.
 */
const folder = loadWireCases(resolve(__dirname, 'cases'));

describe('Sigil wire cases (test/adapter/cases)', () => {
  defineWireTests(folder);
});
