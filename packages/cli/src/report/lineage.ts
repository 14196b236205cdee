/**
 * GEPA's part of the report: the lineage of its pool as an SVG tree (each candidate placed by discovery
 * order and valset score, an edge from each parent, merges dashed), the candidates with their acceptance
 * tests and Pareto membership, and every proposal with its verdict and reflection.
 */
import type { GEPAReport } from '@sigil/optimize';
import { formatCount, formatScore } from '../format-numbers';
import { shorten } from './configuration';
import { escapeHtml } from './escape';

const WIDTH = 760;
const HEIGHT = 300;
const MARGIN = { top: 20, right: 24, bottom: 40, left: 56 };

/** The lineage chart, the candidates table and the proposals table. */
export function gepaSection(
  gepa: GEPAReport,
  table: (head: string[], rows: string[][], numeric?: ReadonlySet<number>) => string,
): string {
  return [
    '<h2 id="lineage">GEPA: lineage of the candidates</h2>',
    `<p class="meta">${escapeHtml(
      `${gepa.candidates.length} candidates, ${gepa.iterations} iterations, ${formatCount(gepa.metricCalls)} of ` +
        `${formatCount(gepa.maxMetricCalls)} metric calls, ${gepa.fullValEvals} valset evaluations, ` +
        `${gepa.mergesTested} merges tested. Best: gepa #${gepa.bestIndex}.`,
    )}</p>`,
    '<p class="legend"><span><i class="swatch" style="background:#8c959f"></i>seed</span>' +
      '<span><i class="swatch" style="background:#0969da"></i>reflection</span>' +
      '<span><i class="swatch" style="background:#8250df"></i>merge</span>' +
      '<span style="color:#1a7f37">◯ returned</span><span>filled: on a Pareto front</span></p>',
    lineageChart(gepa),
    '<h3>Candidates</h3>',
    table(
      ['#', 'parents', 'made by', 'acceptance test', 'val score', 'fronts', 'metric calls before', 'texts'],
      gepa.candidates.map((c) => [
        String(c.index),
        c.parents.map((p) => `#${p}`).join(', ') || '—',
        escapeHtml(
          c.origin === 'reflection'
            ? `reflection on ${c.components?.join(', ')} (iteration ${c.iteration})`
            : c.origin === 'merge'
              ? `merge via ancestor #${c.ancestor} (iteration ${c.iteration})`
              : 'the program as given',
        ),
        c.minibatch
          ? escapeHtml(
              `${c.minibatch.before} → ${c.minibatch.after} on ${c.minibatch.ids.length} ${c.minibatch.split} examples`,
            )
          : '—',
        escapeHtml(formatScore(c.valScore)),
        String(c.fronts),
        formatCount(c.discoveredAt),
        Object.entries(c.texts)
          .map(
            ([name, text]) =>
              `<details><summary>${escapeHtml(`${name}: "${shorten(text, 50)}"`)}</summary><pre>${escapeHtml(text)}</pre></details>`,
          )
          .join(''),
      ]),
      new Set([0, 4, 5, 6]),
    ),
    '<h3>Proposals</h3>',
    table(
      ['iteration', 'kind', 'parents', 'component', 'verdict', 'sums', 'proposed'],
      gepa.proposals.map((p) => [
        String(p.iteration),
        p.kind,
        p.parents.map((x) => `#${x}`).join(', '),
        escapeHtml(p.components.join(', ') || '—'),
        `${escapeHtml(p.status)}${p.candidate !== undefined ? ` → #${p.candidate}` : ''}<br><span class="meta">${escapeHtml(p.reason)}</span>`,
        p.after === undefined ? escapeHtml(String(p.before ?? '—')) : escapeHtml(`${p.before} → ${p.after}`),
        p.reflections
          .map(
            (r) =>
              `<details><summary>${escapeHtml(`"${shorten(r.proposed, 60)}"`)}</summary><pre>${escapeHtml(r.proposed)}</pre>` +
              `<details><summary>reflection prompt and reply</summary><pre>${escapeHtml(r.prompt)}</pre><pre>${escapeHtml(r.reply)}</pre></details></details>`,
          )
          .join('') || '—',
      ]),
      new Set([0]),
    ),
  ].join('\n');
}

/** Candidates as nodes (x: discovery order, y: val score fitted to the run), parents joined by edges. */
function lineageChart(gepa: GEPAReport): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const scores = gepa.candidates.map((c) => c.valScore);
  const low = Math.max(0, Math.floor((Math.min(...scores) - 5) / 10) * 10);
  const high = Math.min(100, Math.ceil((Math.max(...scores) + 5) / 10) * 10);
  const count = Math.max(1, gepa.candidates.length - 1);
  const x = (index: number) => MARGIN.left + (index / count) * plotWidth;
  const y = (score: number) => MARGIN.top + (1 - (score - low) / Math.max(1, high - low)) * plotHeight;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart lineage" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="Lineage of GEPA's candidates">`,
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" class="plot"/>`,
  ];
  const step = high - low <= 30 ? 5 : 10;
  for (let score = low; score <= high; score += step) {
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${y(score).toFixed(1)}" y2="${y(score).toFixed(1)}" class="grid"/>`,
      `<text x="${MARGIN.left - 8}" y="${(y(score) + 4).toFixed(1)}" text-anchor="end" class="tick">${score}%</text>`,
    );
  }
  parts.push(
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 8}" text-anchor="middle" class="axis">candidates in the order they were found</text>`,
  );
  for (const c of gepa.candidates) {
    for (const parent of c.parents) {
      const from = gepa.candidates[parent];
      parts.push(
        `<line x1="${x(from.index).toFixed(1)}" y1="${y(from.valScore).toFixed(1)}" x2="${x(c.index).toFixed(1)}" y2="${y(c.valScore).toFixed(1)}" class="edge ${c.origin}"/>`,
      );
    }
  }
  for (const c of gepa.candidates) {
    const title = `gepa #${c.index}: ${formatScore(c.valScore)} on the valset, ${c.origin}${c.components ? ` of ${c.components.join(', ')}` : ''}, on ${c.fronts} fronts`;
    const ring = c.index === gepa.bestIndex ? ' best' : '';
    parts.push(
      `<g><circle class="node ${c.origin}${c.onFront ? ' front' : ''}${ring}" cx="${x(c.index).toFixed(1)}" cy="${y(c.valScore).toFixed(1)}" r="7"><title>${escapeHtml(title)}</title></circle>` +
        `<text class="node-label" x="${x(c.index).toFixed(1)}" y="${(y(c.valScore) - 11).toFixed(1)}" text-anchor="middle">#${c.index}</text></g>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}

/** The styles the lineage needs (added to the report's stylesheet). */
export const LINEAGE_STYLE = `
.lineage .edge { stroke: #8c959f; stroke-width: 1.5; } .lineage .edge.merge { stroke-dasharray: 5 3; stroke: #8250df; }
.lineage .node { stroke: #fff; stroke-width: 2; fill-opacity: .35; } .lineage .node.front { fill-opacity: 1; }
.lineage .node.seed { fill: #8c959f; } .lineage .node.reflection { fill: #0969da; } .lineage .node.merge { fill: #8250df; }
.lineage .node.best { stroke: #1a7f37; stroke-width: 3; } .lineage .node-label { font-size: 10px; fill: #57606a; }
`;
