/**
 * What `sigil optimize` shows while it runs: two bars on a terminal (steps / trials / candidates with the
 * best score so far; LM calls against the estimate with tokens and cost), plain lines otherwise. Trials and
 * re-evaluations are numbered separately, and "best" counts full evaluations only.
 */
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import { terminalSafe } from '@sigil/core/internal';
import type { Estimate, Optimizer, ProposalEvent } from '@sigil/optimize';
import { type CliIO, isInteractive, writeLine } from '../cli-io';
import { formatCost, formatCount, formatScore } from '../format-numbers';
import type { CallTally, CallMeter } from '../lm/call-meter';
import { pointName, type ReportPoint } from '../report/report-data';
import type { RunRecorder } from './run-recorder';

export interface OptimizeProgress {
  /** Stops the bars (always call it, also on failure). */
  finish(): void;
}

/** Starts the display for a run; `recorder` must already be attached to `optimizer`. */
export function showProgress(
  io: CliIO,
  optimizer: Optimizer,
  recorder: RunRecorder,
  lm: CallMeter,
  estimate: Estimate,
): OptimizeProgress {
  return isInteractive(io.stderr)
    ? barProgress(io, optimizer, recorder, lm, estimate)
    : lineProgress(io, optimizer, recorder, lm);
}

function barProgress(
  io: CliIO,
  optimizer: Optimizer,
  recorder: RunRecorder,
  lm: CallMeter,
  estimate: Estimate,
): OptimizeProgress {
  const multibar = new MultiBar(
    {
      stream: io.stderr as NodeJS.WriteStream,
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      barsize: 20,
      fps: 8,
      autopadding: true,
    },
    Presets.shades_classic,
  );
  const work = multibar.create(Math.max(1, estimate.steps.length), 0, workPayload(recorder, 'steps'), {
    format: ' progress |{bar}| {value}/{total} {unit} | best {best} (full evaluations) | {stage}',
  });
  const calls = multibar.create(Math.max(1, estimate.lmCalls), 0, callPayload(lm.tally), {
    format: ' LM calls |{bar}| {value}/{total} est. | {tokens} tokens | {cost}',
  });
  let unit = 'steps';
  const setValue = (bar: SingleBar, value: number, total: number, payload: object) => {
    bar.setTotal(Math.max(1, total, value));
    bar.update(value, payload);
  };
  const refreshWork = (point?: ReportPoint) => {
    if (unit === 'metric calls') return;
    if (point?.kind === 'trial' || point?.kind === 'candidate')
      unit = point.kind === 'trial' ? 'trials' : 'candidates';
    const kind = unit === 'trials' ? 'trial' : 'candidate';
    const done =
      unit === 'steps'
        ? recorder.stepsDone
        : Math.max(0, ...recorder.points.filter((p) => p.kind === kind).map((p) => p.index + 1));
    const last = recorder.points.filter((p) => p.kind === kind).at(-1);
    const total = unit === 'steps' ? estimate.steps.length : (last?.total ?? done);
    setValue(work, done, total, workPayload(recorder, unit));
  };
  optimizer.on('step', () => refreshWork());
  optimizer.on('candidate', () => refreshWork(recorder.points.at(-1)));
  optimizer.on('trial', () => refreshWork(recorder.points.at(-1)));
  // GEPA's progress is its budget: metric calls spent against the plan.
  optimizer.on('proposal', (event) => {
    unit = 'metric calls';
    setValue(work, event.metricCalls, event.maxMetricCalls, workPayload(recorder, unit));
  });
  lm.onCall = (tally) => setValue(calls, tally.calls, estimate.lmCalls, callPayload(tally));
  return {
    finish: () => {
      lm.onCall = undefined;
      multibar.stop();
    },
  };
}

function workPayload(recorder: RunRecorder, unit: string) {
  return {
    stage: terminalSafe((recorder.currentStep ?? 'starting').slice(0, 28)),
    unit,
    best: formatScore(recorder.best),
  };
}

function callPayload(tally: CallTally) {
  return {
    tokens: formatCount(tally.usage.totalTokens),
    cost: formatCost(tally.cost),
  };
}

function lineProgress(
  io: CliIO,
  optimizer: Optimizer,
  recorder: RunRecorder,
  lm: CallMeter,
): OptimizeProgress {
  const out = (text: string) => writeLine(io.stderr, text);
  const usage = () =>
    `${formatCount(lm.tally.calls)} LM calls, ${formatCount(lm.tally.usage.totalTokens)} tokens, ${formatCost(lm.tally.cost)}`;
  const best = () => `best ${formatScore(recorder.best)} (full evaluations only)`;
  const perIteration = optimizer.name === 'GEPA';
  // A step that scored candidates was already shown line by line (random search makes one per candidate).
  let pointsAtStart = 0;
  optimizer.on('step', (event) => {
    const iteration = perIteration && event.name.startsWith('iteration ');
    if (event.status === 'start') {
      pointsAtStart = recorder.points.length;
      if (!event.name.startsWith('candidate ') && !iteration) out(`▸ ${event.name}…`);
    } else if (recorder.points.length === pointsAtStart || (event.name === 'baseline' && perIteration)) {
      const score = event.score === undefined ? '' : `: ${formatScore(event.score)}`;
      out(`✓ ${event.name}${score} · ${best()} · ${usage()}`);
    }
  });
  const point = (event: { resumed: boolean }) => {
    const last = recorder.points.at(-1);
    if (!last || (perIteration && last.kind !== 'candidate')) return;
    const fidelity = last.fidelity === 'minibatch' ? ` (minibatch of ${last.examples ?? '?'})` : '';
    const resumed = event.resumed ? ' [from journal]' : '';
    out(
      `  ${pointName(last)} ${last.kind === 'candidate' ? `${last.label} ` : ''}` +
        `${formatScore(last.score)}${fidelity}${resumed} · ${best()} · ${usage()}`,
    );
  };
  optimizer.on('candidate', point);
  optimizer.on('trial', point);
  optimizer.on('proposal', (event) => out(`  ${describeProposal(event)} · ${usage()}`));
  return { finish: () => undefined };
}

/**
 * One GEPA iteration in a line: the parent and its score, the proposed text, the verdict with both
 * minibatch sums, on acceptance the new candidate's val score and coverage, the front's aggregate, and
 * the best candidate so far.
 */
export function describeProposal(event: ProposalEvent): string {
  const parents = event.parents
    .map((p, i) => `gepa #${p} (${formatScore(event.parentScores[i])})`)
    .join(' + ');
  const head = `iteration ${event.iteration}: ${event.component === 'merge' ? 'merge of' : 'parent'} ${parents}`;
  const texts =
    event.component === 'merge' || event.status === 'skipped-perfect'
      ? ''
      : Object.entries(event.after)
          .filter(([name, text]) => event.before[name] !== text)
          .map(([name, text]) => ` · ${name}: ${JSON.stringify(shorten(text))}`)
          .join('');
  const sums = event.scoreAfter === undefined ? '' : ` ${event.scoreBefore} → ${event.scoreAfter}`;
  const verdict =
    event.status === 'accepted'
      ? `accepted${sums} → gepa #${event.candidate}: ${formatScore(event.valScore)} on ${event.coverage} val examples`
      : event.status === 'rejected'
        ? `rejected${sums}`
        : event.status === 'skipped-perfect'
          ? 'skipped (perfect on its minibatch)'
          : `failed: ${event.reason}`;
  return `${head}${texts} · ${verdict} · front ${formatScore(event.frontScore)} · best gepa #${event.bestIndex} ${formatScore(event.bestScore)}`;
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 70 ? `${flat.slice(0, 67)}…` : flat;
}
