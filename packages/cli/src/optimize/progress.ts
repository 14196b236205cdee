/**
 * What `sigil optimize` shows while it runs: two bars on a terminal (steps / trials / candidates with the
 * best score so far; LM calls against the estimate with tokens and cost), plain lines otherwise.
 */
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import { terminalSafe } from '@sigil/core/internal';
import type { Estimate, Optimizer } from '@sigil/optimize';
import { type CliIO, isInteractive, writeLine } from '../cli-io';
import { formatCost, formatCount, formatScore } from '../format-numbers';
import type { CallTally, CallMeter } from '../lm/call-meter';
import type { ReportPoint } from '../report/report-data';
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
    format: ' progress |{bar}| {value}/{total} {unit} | best {best} | {stage}',
  });
  const calls = multibar.create(Math.max(1, estimate.lmCalls), 0, callPayload(lm.tally), {
    format: ' LM calls |{bar}| {value}/{total} est. | {tokens} tokens | {cost}',
  });
  let unit: 'steps' | 'trials' | 'candidates' = 'steps';
  const setValue = (bar: SingleBar, value: number, total: number, payload: object) => {
    bar.setTotal(Math.max(1, total, value));
    bar.update(value, payload);
  };
  const refreshWork = (point?: ReportPoint) => {
    if (point) unit = point.kind === 'trial' ? 'trials' : 'candidates';
    const done =
      unit === 'steps'
        ? recorder.stepsDone
        : Math.max(0, ...recorder.points.filter((p) => p.kind === point?.kind).map((p) => p.index + 1));
    const total = unit === 'steps' ? estimate.steps.length : (point?.total ?? done);
    setValue(work, done, total, workPayload(recorder, unit));
  };
  optimizer.on('step', () => unit === 'steps' && refreshWork());
  optimizer.on('candidate', () => refreshWork(recorder.points.at(-1)));
  optimizer.on('trial', () => refreshWork(recorder.points.at(-1)));
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
  // A step that scored candidates was already shown line by line (random search makes one per candidate).
  let pointsAtStart = 0;
  optimizer.on('step', (event) => {
    if (event.status === 'start') {
      pointsAtStart = recorder.points.length;
      if (!event.name.startsWith('candidate ')) out(`▸ ${event.name}…`);
    } else if (recorder.points.length === pointsAtStart) {
      const score = event.score === undefined ? '' : `: ${formatScore(event.score)}`;
      out(`✓ ${event.name}${score} · best ${formatScore(recorder.best)} · ${usage()}`);
    }
  });
  const point = (event: { resumed: boolean }) => {
    const last = recorder.points.at(-1);
    if (!last) return;
    const fidelity = last.fidelity === 'minibatch' ? ' (minibatch)' : '';
    const resumed = event.resumed ? ' [from journal]' : '';
    out(
      `  ${last.kind} ${last.index + 1}/${last.total} ${last.kind === 'candidate' ? `${last.label} ` : ''}` +
        `${formatScore(last.score)}${fidelity}${resumed} · best ${formatScore(recorder.best)} · ${usage()}`,
    );
  };
  optimizer.on('candidate', point);
  optimizer.on('trial', point);
  return { finish: () => undefined };
}
