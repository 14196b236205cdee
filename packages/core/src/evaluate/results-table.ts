import type Table from 'cli-table3';
import { terminalSafe } from '../text/terminal-text';
import type { EvaluationResult } from './evaluation-result';

/** Longest value shown in one table cell; longer ones are cut with an ellipsis. */
const CELL_CHARS = 60;

/**
 * Renders the first rows of a run and its failures (errors and zero scores) as text tables.
 * @example output.write(formatResultsTable(report.results.slice(0, 5), failures));
 */
export function formatResultsTable(
  rows: readonly EvaluationResult[],
  failures: readonly EvaluationResult[],
): string {
  const parts: string[] = [];
  if (rows.length > 0)
    parts.push(`First ${rows.length} result${rows.length === 1 ? '' : 's'}:`, render(rows));
  if (failures.length > 0) {
    parts.push(`Failures (first ${failures.length}):`, render(failures));
  }
  return parts.length === 0 ? '' : `${parts.join('\n')}\n`;
}

/** Whether a result belongs in the failures table. */
export function isFailure(result: EvaluationResult): boolean {
  return result.error !== undefined || result.score <= 0;
}

function render(results: readonly EvaluationResult[]): string {
  const withErrors = results.some((result) => result.error !== undefined);
  const head = ['#', 'inputs', 'expected', 'predicted', 'score', ...(withErrors ? ['error'] : [])];
  // Required here, not at import: tables are printed at the end of a run, when asked for.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const TextTable = require('cli-table3') as typeof Table;
  const table = new TextTable({ head, style: { head: [], border: [] }, wordWrap: true });
  for (const result of results) {
    const { example } = result;
    const labels = example.inputKeys.length > 0 ? example.labels().toJSON() : {};
    const inputs = example.inputKeys.length > 0 ? example.inputs().toJSON() : example.toJSON();
    table.push([
      String(result.index),
      describeFields(inputs),
      describeFields(labels),
      describeFields(result.prediction.toJSON()),
      Number.isInteger(result.score) ? String(result.score) : result.score.toFixed(3),
      ...(withErrors ? [result.error === undefined ? '' : truncate(errorText(result.error))] : []),
    ]);
  }
  return table.toString();
}

function describeFields(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .map(
      ([key, value]) =>
        `${key}: ${truncate(typeof value === 'string' ? value : (JSON.stringify(value) ?? ''))}`,
    )
    .join('\n');
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** One line of at most CELL_CHARS, control characters from the data shown as escapes. */
function truncate(text: string): string {
  const line = terminalSafe(text.replace(/[ \t\n]+/g, ' '));
  return line.length > CELL_CHARS ? `${line.slice(0, CELL_CHARS - 1)}…` : line;
}
