import type * as CliProgress from 'cli-progress';
import type { SingleBar } from 'cli-progress';
import type { Usage } from '../lm/types';

/** The state of a run, after each finished example (what `onProgress` receives). */
export interface EvaluationProgress {
  /** Examples finished (scored or failed). */
  done: number;
  /** Examples in the devset, when known (arrays, or the `total` option for streams). */
  total?: number;
  /** Running mean score, in percent, over the finished examples. */
  score: number;
  /** Examples whose program or metric threw so far. */
  errors: number;
  usage: Usage;
  /** In US dollars. */
  cost: number;
  elapsedMs: number;
}

/** What Evaluate shows while it runs: a bar, periodic lines, or nothing. */
export interface ProgressDisplay {
  update(state: EvaluationProgress): void;
  finish(state: EvaluationProgress): void;
}

/** `'auto'`: a bar on a TTY, plain lines otherwise, nothing under Jest. `true`: the same, even under Jest. */
export type ProgressMode = 'auto' | boolean;

/** Plain lines go out every 10 % of the total, and at least every 5 seconds. */
const LINE_INTERVAL_MS = 5_000;

/** Chooses and creates the display for `mode` on `output`. */
export function createProgressDisplay(
  mode: ProgressMode,
  output: NodeJS.WritableStream,
  total: number | undefined,
): ProgressDisplay {
  if (mode === false || (mode === 'auto' && process.env.JEST_WORKER_ID !== undefined)) return silentDisplay;
  return (output as NodeJS.WriteStream).isTTY
    ? new BarDisplay(output, total)
    : new LineDisplay(output, total);
}

const silentDisplay: ProgressDisplay = { update: () => undefined, finish: () => undefined };

class BarDisplay implements ProgressDisplay {
  private readonly bar: SingleBar;

  constructor(output: NodeJS.WritableStream, total: number | undefined) {
    const counter = total === undefined ? '{value} done' : '{bar} {value}/{total} {percentage}%';
    // Required here, not at import: only a run on a terminal draws a bar.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { SingleBar: Bar } = require('cli-progress') as typeof CliProgress;
    this.bar = new Bar({
      stream: output,
      format: `Evaluate ${counter} | score {score}% | errors {errors} | tokens {tokens} | \${cost} | {duration_formatted}${total === undefined ? '' : ' (eta {eta_formatted})'}`,
      hideCursor: true,
      fps: 10,
      etaBuffer: 100,
      barsize: 24,
    });
    this.bar.start(total ?? 0, 0, payloadOf(undefined));
  }

  update(state: EvaluationProgress): void {
    this.bar.update(state.done, payloadOf(state));
  }

  finish(state: EvaluationProgress): void {
    this.bar.update(state.done, payloadOf(state));
    this.bar.stop();
  }
}

class LineDisplay implements ProgressDisplay {
  private lastLineAt = Date.now();
  private lastDecile = 0;

  constructor(
    private readonly output: NodeJS.WritableStream,
    private readonly total: number | undefined,
  ) {}

  update(state: EvaluationProgress): void {
    const now = Date.now();
    const decile = this.total ? Math.floor((state.done / this.total) * 10) : 0;
    if (decile > this.lastDecile || now - this.lastLineAt >= LINE_INTERVAL_MS) {
      this.lastDecile = decile;
      this.lastLineAt = now;
      this.output.write(`Evaluate ${describeProgress(state)}\n`);
    }
  }

  finish(state: EvaluationProgress): void {
    this.output.write(`Evaluate finished: ${describeProgress(state)}\n`);
  }
}

/** `1200/2000 (60%) | score 71.25% | errors 3 | tokens 512,340 | $0.0123 | 12.3s` */
export function describeProgress(state: EvaluationProgress): string {
  const { done, total } = state;
  const counter =
    total === undefined ? `${done} done` : `${done}/${total} (${Math.floor((done / (total || 1)) * 100)}%)`;
  const payload = payloadOf(state);
  return `${counter} | score ${payload.score}% | errors ${payload.errors} | tokens ${payload.tokens} | $${payload.cost} | ${(state.elapsedMs / 1000).toFixed(1)}s`;
}

function payloadOf(state: EvaluationProgress | undefined) {
  return {
    score: (state?.score ?? 0).toFixed(2),
    errors: state?.errors ?? 0,
    tokens: (state?.usage.totalTokens ?? 0).toLocaleString('en-US'),
    cost: (state?.cost ?? 0).toFixed(4),
  };
}
