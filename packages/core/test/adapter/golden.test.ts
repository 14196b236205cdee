import { resolve } from 'node:path';
import { checkFormatCase, checkParseCase, loadWireCases } from './wire-cases';

/**
 * Runs every case of the wire-format golden files (DSPy's own outputs). The folder comes from
 * SIGIL_GOLDEN_DIR when set, so further cases in the same shapes can be run against Sigil.
 */
const goldenDir = process.env.SIGIL_GOLDEN_DIR
  ? resolve(process.env.SIGIL_GOLDEN_DIR)
  : resolve(__dirname, '../../../../../shared/spec/golden');

const { formatCases, parseCases } = loadWireCases(goldenDir, /adapter/);

describe(`golden wire cases from ${goldenDir}`, () => {
  it('finds golden cases to run', () => {
    expect(formatCases.length + parseCases.length).toBeGreaterThan(0);
  });

  if (formatCases.length > 0) {
    it.each(formatCases)('formats %s exactly as DSPy does', (_name, c) => checkFormatCase(c));
  }

  if (parseCases.length > 0) {
    it.each(parseCases)('parses %s as DSPy does', (_name, c) => checkParseCase(c));
  }
});
