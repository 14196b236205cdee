import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { renderHtmlReport, type RunReportData } from '@sigil/cli';
import type { OptimizationReport } from '@sigil/optimize';
import { FIXTURES, run, tempDir } from './support/run-cli';

function reportData(overrides: Partial<RunReportData> = {}): RunReportData {
  const report: OptimizationReport = {
    optimizer: 'MIPRO',
    seed: 0,
    stoppedBy: 'completed',
    metricErrors: 0,
    baselineScore: 40,
    bestScore: 75,
    steps: [
      { name: 'baseline', score: 40, calls: { total: 8, paid: 8, cached: 0, failed: 0 }, durationMs: 12 },
    ],
    candidates: [],
    calls: { total: 60, paid: 50, cached: 10, failed: 0 },
    usage: { promptTokens: 900, completionTokens: 100, cachedTokens: 0, totalTokens: 1000 },
    cost: 0.0123,
    durationMs: 1500,
    estimate: { lmCalls: 80, maxLmCalls: 80, programCalls: 80, steps: [] },
    trials: [],
  };
  return {
    task: 'qa',
    taskFile: 'src/qa.task.ts',
    optimizer: 'MIPRO (auto: light)',
    lm: 'openai/gpt-4o-mini at https://api.openai.com/v1',
    outFile: 'optimized/qa.json',
    generatedAt: new Date('2025-01-01T00:00:00Z'),
    report,
    points: [20, 30, 40].map((calls, i) => ({
      kind: 'trial' as const,
      index: i,
      total: 3,
      label: `trial ${i}`,
      score: 50 + i * 10,
      fidelity: 'full' as const,
      calls: 10,
      cumulativeCalls: calls,
      resumed: false,
    })),
    predictors: [
      {
        path: 'respond',
        signature: 'QA',
        instructions: 'Answer <b>briefly</b> & "exactly" <script>alert(1)</script>',
        demos: [{ question: 'Is 1 < 2?', answer: 'yes' }],
      },
    ],
    ...overrides,
  };
}

describe('the HTML report', () => {
  it('is one self-contained page with an inline SVG chart holding a point per trial', () => {
    const html = renderHtmlReport(reportData());
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<svg');
    expect(html.match(/<circle class="point /g)).toHaveLength(3);
    expect(html).toContain('class="best"');
    expect(html).toContain('class="baseline"');
    expect(html).not.toMatch(/<(script|link)\b|src=|href=/);
  });

  it('escapes instruction and demo text', () => {
    const html = renderHtmlReport(reportData());
    expect(html).toContain(
      'Answer &lt;b&gt;briefly&lt;/b&gt; &amp; &quot;exactly&quot; &lt;script&gt;alert(1)&lt;/script&gt;',
    );
    expect(html).toContain('question: Is 1 &lt; 2?');
    expect(html).not.toContain('<script>');
  });

  it('lists every trial with its configuration: instruction, demos and params', () => {
    const state = {
      respond: {
        signature: { instructions: 'Answer in one word.' },
        demos: [{ question: 'q', answer: 'a' }],
      },
      metadata: { sigil: { params: { style: 'short' } } },
    };
    const html = renderHtmlReport(
      reportData({
        points: [
          {
            kind: 'trial',
            index: 0,
            total: 2,
            label: 'trial 1',
            score: 55,
            fidelity: 'minibatch',
            examples: 35,
            calls: 35,
            cumulativeCalls: 35,
            resumed: false,
            state,
          },
          {
            kind: 'evaluation',
            index: 0,
            label: 'full valset',
            score: 60,
            fidelity: 'full',
            calls: 100,
            cumulativeCalls: 135,
            resumed: false,
            state,
          },
        ],
      }),
    );
    expect(html).toContain('<td>trial 1/2</td>');
    expect(html).toContain('<td>full evaluation 1</td>');
    expect(html).toContain('<td>minibatch of 35</td>');
    expect(html).toContain('respond: &quot;Answer in one word.&quot;, 1 demo · style = &quot;short&quot;');
  });

  it('fits the score axis to the run instead of always running to 100%', () => {
    const html = renderHtmlReport(reportData());
    // Scores 40 (baseline) to 70: the axis spans 30%–80%.
    expect(html).toContain('>80%</text>');
    expect(html).toContain('>30%</text>');
    expect(html).not.toContain('>100%</text>');
  });

  it('says when the scores come from the simulator', () => {
    const html = renderHtmlReport(reportData({ lm: 'sigil-simulator — simulator, not a model' }));
    expect(html).toContain('a simulator, not a model');
  });

  it('is written by optimize --report with one chart point per trial of the run', async () => {
    const dir = tempDir();
    const result = await run(
      [
        'optimize',
        path.join(FIXTURES, 'sentiment.task.ts'),
        '--trials',
        '5',
        '--out',
        'o.json',
        '--report',
        'r/run.html',
      ],
      { cwd: dir },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Wrote the HTML report to r/run.html');
    const html = readFileSync(path.join(dir, 'r', 'run.html'), 'utf8');
    const trials = result.stderr.match(/^ {2}trial /gm) ?? [];
    expect(trials.length).toBeGreaterThanOrEqual(5);
    expect(html.match(/<circle class="point /g)).toHaveLength(trials.length);
    expect(html).toContain('Best program: instructions and demos per predictor');
  });
});
