/**
 * The self-contained HTML report of `sigil optimize --report run.html`: one file, no external assets —
 * the summary, the chart, the best instructions and demos per predictor, and every trial / candidate.
 * All text from the run (instructions, demos, labels) is escaped.
 */
import { formatCost, formatCount, formatDuration, formatScore } from '../format-numbers';
import { scoreChart } from './chart';
import { configurationCell } from './configuration';
import { escapeHtml } from './escape';
import { gepaSection, LINEAGE_STYLE } from './lineage';
import { pointName, type ReportPredictor, type RunReportData } from './report-data';

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 980px; padding: 24px; color: #1f2328; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 6px; } .meta { color: #57606a; margin: 0 0 4px; }
.note { background: #fff8c5; border: 1px solid #d4a72c; padding: 6px 10px; border-radius: 6px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; } th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eaeef2; vertical-align: top; }
th { background: #f6f8fa; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
pre { white-space: pre-wrap; word-break: break-word; background: #f6f8fa; padding: 8px 10px; border-radius: 6px; margin: 4px 0; }
.chart .plot { fill: #fbfcfd; stroke: #d0d7de; } .chart .grid { stroke: #eaeef2; } .chart .tick { font-size: 11px; fill: #57606a; }
.chart .axis { font-size: 12px; fill: #1f2328; } .chart .baseline { stroke: #8c959f; stroke-dasharray: 6 4; }
.chart .best { fill: none; stroke: #1a7f37; stroke-width: 2; } .chart .point { fill: #0969da; fill-opacity: .75; }
.chart .point.minibatch { fill: #bf8700; fill-opacity: .6; } .chart .point.candidate { fill: #8250df; } .chart .empty { fill: #57606a; }
.legend span { margin-right: 16px; } .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 4px; }
details { margin: 4px 0; } summary { cursor: pointer; }
.chart .point.evaluation { fill: #1a7f37; }
${LINEAGE_STYLE}`;

/** The whole report page. */
export function renderHtmlReport(data: RunReportData): string {
  const { report } = data;
  const title = `Sigil optimization report: ${data.task}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="meta">${escapeHtml(`${data.optimizer} · task file ${data.taskFile} · ${data.generatedAt.toISOString()}`)}</p>`,
    `<p class="meta">LM: ${escapeHtml(data.lm)}</p>`,
    /simulator/i.test(data.lm)
      ? '<p class="note">These scores come from the Sigil task simulator — a simulator, not a model. They show the workflow, not what a model would score.</p>'
      : '',
    '<h2>Summary</h2>',
    summaryTable(data),
    '<h2>Scores against LM calls</h2>',
    '<p class="legend"><span><i class="swatch" style="background:#0969da"></i>trial (full valset)</span>' +
      '<span><i class="swatch" style="background:#bf8700"></i>minibatch</span>' +
      '<span><i class="swatch" style="background:#1a7f37"></i>full evaluation</span>' +
      '<span><i class="swatch" style="background:#8250df"></i>candidate</span>' +
      '<span style="color:#1a7f37">— best so far (full evaluations only)</span><span style="color:#8c959f">- - baseline</span></p>',
    scoreChart(data.points, report.baselineScore),
    '<h2>Best program: instructions and demos per predictor</h2>',
    `<p class="meta">Saved to ${escapeHtml(data.outFile)}.</p>`,
    ...data.predictors.map(predictorSection),
    searchSection(data),
    report.gepa ? gepaSection(report.gepa, table) : '',
    '<h2 id="trials">Trials and candidates</h2>',
    '<p class="meta">Trials and re-evaluations are numbered separately; only full evaluations are comparable with the baseline.</p>',
    pointsTable(data),
    '<h2>Steps</h2>',
    stepsTable(data),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function summaryTable({ report, outFile }: RunReportData): string {
  const rows: [string, string][] = [
    ['Baseline score', formatScore(report.baselineScore)],
    ['Optimized score', formatScore(report.bestScore)],
    [
      'LM calls',
      `${formatCount(report.calls.total)} (paid ${formatCount(report.calls.paid)}, cached ${formatCount(report.calls.cached)}, failed ${formatCount(report.calls.failed)})`,
    ],
    ['Estimate before the run', `up to ${formatCount(report.estimate.lmCalls)} LM calls`],
    ...(report.selection
      ? ([
          [
            'Selection estimate',
            `${formatScore(report.selection.score)} measured; optimism ≈ ${report.selection.optimism.toFixed(1)} points ` +
              `(picked among ${report.selection.candidates} on ${report.selection.examples} examples) → ` +
              `≈ ${formatScore(report.selection.heldOutEstimate)} on new data; 90% interval ` +
              `${formatScore(report.selection.interval[0])}–${formatScore(report.selection.interval[1])}`,
          ],
        ] as [string, string][])
      : []),
    [
      'Tokens',
      `${formatCount(report.usage.totalTokens)} (prompt ${formatCount(report.usage.promptTokens)}, completion ${formatCount(report.usage.completionTokens)})`,
    ],
    ['Cost', formatCost(report.cost)],
    ['Wall time', formatDuration(report.durationMs)],
    [
      'Stopped by',
      report.stoppedBy === 'budget' ? 'the budget (best program so far returned)' : 'completion',
    ],
    ['Seed', String(report.seed)],
    ['Saved program', outFile],
  ];
  return table(
    ['', ''],
    rows.map(([name, value]) => [escapeHtml(name), escapeHtml(value)]),
  );
}

function predictorSection(predictor: ReportPredictor): string {
  const demos =
    predictor.demos.length === 0
      ? '<p class="meta">No demos.</p>'
      : predictor.demos
          .map(
            (demo, i) =>
              `<details${i < 3 ? ' open' : ''}><summary>Demo ${i + 1}</summary><pre>${escapeHtml(describeDemo(demo))}</pre></details>`,
          )
          .join('\n');
  return [
    `<h3>${escapeHtml(predictor.path)} <span class="meta">(${escapeHtml(predictor.signature)})</span></h3>`,
    '<p class="meta">Instructions</p>',
    `<pre>${escapeHtml(predictor.instructions)}</pre>`,
    `<p class="meta">${predictor.demos.length} demo${predictor.demos.length === 1 ? '' : 's'}</p>`,
    demos,
  ].join('\n');
}

function searchSection({ report }: RunReportData): string {
  const search = report.search;
  if (!search) return '';
  const parts = [
    '<h2>Search space</h2>',
    `<p class="meta">${escapeHtml(
      `${formatCount(search.configurations)} configurations, ${search.trials} trials, ${search.fullEvaluations} full evaluations; ` +
        search.dimensions.map((d) => `${d.name}: ${d.size}`).join(', '),
    )}</p>`,
  ];
  for (const [path, instructions] of Object.entries(search.instructions)) {
    parts.push(
      `<h3>Instruction candidates for ${escapeHtml(path)}</h3>`,
      '<ol>',
      ...instructions.map((text) => `<li><pre>${escapeHtml(text)}</pre></li>`),
      '</ol>',
    );
  }
  return parts.join('\n');
}

function pointsTable({ points, report }: RunReportData): string {
  if (points.length === 0) return '<p class="meta">This optimizer scored no trials or candidates.</p>';
  const stateOf = (key?: string) => report.candidates.find((c) => c.key === key)?.state;
  return table(
    [
      '#',
      'what',
      'label',
      'fidelity',
      'score',
      'configuration',
      'LM calls',
      'LM calls so far',
      'from journal',
    ],
    points.map((p, i) => [
      String(i + 1),
      escapeHtml(pointName(p)),
      escapeHtml(p.label),
      escapeHtml(
        p.fidelity === 'full' ? 'full' : `minibatch${p.examples !== undefined ? ` of ${p.examples}` : ''}`,
      ),
      escapeHtml(formatScore(p.score)),
      configurationCell(p.state ?? stateOf(p.key)),
      formatCount(p.calls),
      formatCount(p.cumulativeCalls),
      p.resumed ? 'yes' : '',
    ]),
    new Set([0, 4, 6, 7]),
  );
}

function stepsTable({ report }: RunReportData): string {
  return table(
    ['step', 'score', 'LM calls', 'paid', 'cached', 'time'],
    report.steps.map((step) => [
      escapeHtml(step.name),
      escapeHtml(formatScore(step.score)),
      formatCount(step.calls.total),
      formatCount(step.calls.paid),
      formatCount(step.calls.cached),
      escapeHtml(formatDuration(step.durationMs)),
    ]),
    new Set([1, 2, 3, 4, 5]),
  );
}

/** Cells are already escaped HTML. */
function table(head: string[], rows: string[][], numeric: ReadonlySet<number> = new Set()): string {
  const cell = (tag: 'th' | 'td', text: string, column: number) =>
    `<${tag}${numeric.has(column) ? ' class="num"' : ''}>${text}</${tag}>`;
  const header = head.some((h) => h !== '')
    ? `<thead><tr>${head.map((h, i) => cell('th', escapeHtml(h), i)).join('')}</tr></thead>`
    : '';
  const body = rows.map((row) => `<tr>${row.map((text, i) => cell('td', text, i)).join('')}</tr>`).join('\n');
  return `<table>${header}<tbody>\n${body}\n</tbody></table>`;
}

function describeDemo(demo: Record<string, unknown>): string {
  return Object.entries(demo)
    .filter(([key]) => key !== 'augmented')
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join('\n');
}
