/** How the CLI and the HTML report write counts, money, scores and durations. */

/** `12,345`. */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** `$0.0123`: four decimals, since one call often costs a fraction of a cent. */
export function formatCost(dollars: number): string {
  return `$${dollars.toFixed(4)}`;
}

/** `72.5%`, or `—` when not measured. */
export function formatScore(percent: number | undefined): string {
  return percent === undefined ? '—' : `${Number(percent.toFixed(2))}%`;
}

/** `850 ms`, `12.3 s`, `4 min 05 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} min ${String(seconds).padStart(2, '0')} s`;
}
