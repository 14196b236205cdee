/**
 * The report's chart as inline SVG: each trial / candidate score (y, percent) against the run's LM calls
 * so far (x), the best-so-far line over full-valset scores, and the baseline as a dashed line.
 */
import { formatCount, formatScore } from '../format-numbers';
import { escapeHtml } from './escape';
import type { ReportPoint } from './report-data';

const WIDTH = 760;
const HEIGHT = 340;
const MARGIN = { top: 20, right: 24, bottom: 46, left: 56 };

export function scoreChart(points: readonly ReportPoint[], baseline: number | undefined): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const maxCalls = niceCeiling(Math.max(1, ...points.map((p) => p.cumulativeCalls)));
  const scores = [...points.map((p) => p.score), ...(baseline === undefined ? [] : [baseline])];
  // The score axis fits the run: from just under its lowest score to just over its highest.
  const low = Math.max(0, Math.floor((Math.min(100, ...scores) - 5) / 10) * 10);
  const high = Math.min(100, Math.max(low + 10, Math.ceil((Math.max(0, ...scores) + 5) / 10) * 10));
  const x = (calls: number) => MARGIN.left + (calls / maxCalls) * plotWidth;
  const y = (score: number) => MARGIN.top + (1 - (score - low) / (high - low)) * plotHeight;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="Scores against LM calls">`,
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" class="plot"/>`,
  );
  const scoreStep = high - low <= 30 ? 5 : high - low <= 60 ? 10 : 20;
  for (let score = high; score >= low; score -= scoreStep) {
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${fixed(y(score))}" y2="${fixed(y(score))}" class="grid"/>`,
      `<text x="${MARGIN.left - 8}" y="${fixed(y(score) + 4)}" text-anchor="end" class="tick">${score}%</text>`,
    );
  }
  for (let i = 0; i <= 5; i++) {
    const calls = (maxCalls * i) / 5;
    parts.push(
      `<text x="${fixed(x(calls))}" y="${MARGIN.top + plotHeight + 18}" text-anchor="middle" class="tick">${formatCount(calls)}</text>`,
    );
  }
  parts.push(
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 6}" text-anchor="middle" class="axis">LM calls so far</text>`,
    `<text x="14" y="${MARGIN.top + plotHeight / 2}" text-anchor="middle" class="axis" transform="rotate(-90 14 ${MARGIN.top + plotHeight / 2})">score</text>`,
  );
  if (baseline !== undefined) {
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${fixed(y(baseline))}" y2="${fixed(y(baseline))}" class="baseline"><title>baseline ${escapeHtml(formatScore(baseline))}</title></line>`,
    );
  }
  const best = bestSoFar(points);
  if (best.length > 0) {
    const path = best.map(
      ([calls, score], i) => `${i === 0 ? 'M' : 'L'}${fixed(x(calls))},${fixed(y(score))}`,
    );
    path.push(`L${fixed(x(maxCalls))},${fixed(y(best[best.length - 1][1]))}`);
    parts.push(`<path d="${path.join(' ')}" class="best"><title>best so far</title></path>`);
  }
  for (const point of points) {
    const title = `${point.label}: ${formatScore(point.score)}${point.fidelity === 'minibatch' ? ' (minibatch)' : ''} at ${formatCount(point.cumulativeCalls)} LM calls`;
    parts.push(
      `<circle class="point ${point.kind} ${point.fidelity}" cx="${fixed(x(point.cumulativeCalls))}" cy="${fixed(y(point.score))}" r="4.5"><title>${escapeHtml(title)}</title></circle>`,
    );
  }
  if (points.length === 0) {
    parts.push(
      `<text x="${MARGIN.left + plotWidth / 2}" y="${MARGIN.top + plotHeight / 2}" text-anchor="middle" class="empty">No trials or candidates: this optimizer scores one program.</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}

/** The staircase of best full-valset scores, in call order. */
function bestSoFar(points: readonly ReportPoint[]): [number, number][] {
  const steps: [number, number][] = [];
  let best = -Infinity;
  for (const point of [...points].sort((a, b) => a.cumulativeCalls - b.cumulativeCalls)) {
    if (point.fidelity !== 'full' || point.score <= best) continue;
    if (steps.length > 0) steps.push([point.cumulativeCalls, best]);
    best = point.score;
    steps.push([point.cumulativeCalls, best]);
  }
  return steps;
}

/** The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k at or above `value`: round ticks, little empty space. */
function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function fixed(value: number): string {
  return value.toFixed(1);
}
