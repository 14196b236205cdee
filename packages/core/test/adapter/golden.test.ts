import { resolve } from 'node:path';
import { defineWireTests, loadWireCases } from './wire-cases';

/**
 * Runs the golden wire cases: the project's copy of DSPy's outputs (test/golden), or, when SIGIL_GOLDEN_DIR
 * is set, every case file of that folder instead (any JSON file holding an array of cases, whatever its
 * name; other JSON files are skipped with the reason).
 */
const goldenDir = process.env.SIGIL_GOLDEN_DIR
  ? resolve(process.env.SIGIL_GOLDEN_DIR)
  : resolve(__dirname, '../golden');

const folder = loadWireCases(goldenDir);

describe(`golden wire cases from ${goldenDir}`, () => {
  it('finds golden cases to run', () => {
    if (folder.entries.length === 0)
      throw new Error(`${goldenDir} holds no case file (a JSON file with an array of cases).`);
  });
  defineWireTests(folder);
});
