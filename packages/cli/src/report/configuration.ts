/**
 * A candidate's configuration as the report shows it: per predictor its instruction and demo count, and
 * its `@Param` values — read from the state patch the optimizer recorded (DSPy's saved-program shape).
 */
import type { StatePatch } from '@sigil/core';
import { escapeHtml } from './escape';

interface PredictorView {
  path: string;
  instructions?: string;
  demos?: number;
}

/** The predictors and params a patch sets. */
export function configurationOf(state: StatePatch | undefined): {
  predictors: PredictorView[];
  params: [string, unknown][];
} {
  if (!state) return { predictors: [], params: [] };
  const predictors: PredictorView[] = [];
  const read = (path: string, entry: Record<string, unknown>) => {
    const { instructions: text } = (entry.signature ?? {}) as { instructions?: unknown };
    const instructions = typeof text === 'string' ? text : undefined;
    const demos = Array.isArray(entry.demos) ? entry.demos.length : undefined;
    if (instructions !== undefined || demos !== undefined) predictors.push({ path, instructions, demos });
  };
  if ('signature' in state || 'demos' in state) read('self', state);
  for (const [key, value] of Object.entries(state)) {
    if (key === 'metadata' || key === 'signature' || key === 'demos') continue;
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      read(key, value as Record<string, unknown>);
  }
  const metadata = state.metadata as { sigil?: { params?: Record<string, unknown> } } | undefined;
  return { predictors, params: Object.entries(metadata?.sigil?.params ?? {}) };
}

/** The configuration as an HTML cell: a one-line summary, the full texts in a collapsed block. */
export function configurationCell(state: StatePatch | undefined): string {
  const { predictors, params } = configurationOf(state);
  if (predictors.length === 0 && params.length === 0) return '<span class="meta">—</span>';
  const summary = [
    ...predictors.map((p) => {
      const parts = [
        p.instructions !== undefined ? instructionSummary(p.instructions) : undefined,
        demoCount(p.demos),
      ].filter(Boolean);
      return `${p.path !== 'self' ? `${p.path}: ` : ''}${parts.join(', ')}`;
    }),
    ...params.map(([name, value]) => `${name} = ${JSON.stringify(value)}`),
  ].join(' · ');
  const full = predictors
    .filter((p) => p.instructions !== undefined)
    .map((p) => `<p class="meta">${escapeHtml(p.path)}</p><pre>${escapeHtml(p.instructions)}</pre>`)
    .join('');
  return full ? `<details><summary>${escapeHtml(summary)}</summary>${full}</details>` : escapeHtml(summary);
}

/** `"first line…" + 3 lines`: candidates that share a first line still read apart. */
function instructionSummary(text: string): string {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const more = lines.length - 1;
  return `"${shorten(lines[0] ?? '', 60)}"${more > 0 ? ` + ${more} line${more === 1 ? '' : 's'}` : ''}`;
}

export function shorten(text: string, length: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}

function demoCount(count: number | undefined): string | undefined {
  if (count === undefined) return undefined;
  return `${count} demo${count === 1 ? '' : 's'}`;
}
