/**
 * Follows an optimizer's events and keeps what the progress display and the HTML report show: each
 * trial and candidate with its score and the LM calls made so far, step scores, and the best so far.
 */
import type { CandidateEvent, Optimizer, StepEvent, TrialEvent } from '@sigil/optimize';
import type { CallMeter } from '../lm/call-meter';
import type { ReportPoint } from '../report/report-data';

export class RunRecorder {
  readonly points: ReportPoint[] = [];
  /** Ended steps that measured a score (`baseline`, …). */
  readonly stepScores: { name: string; score: number }[] = [];
  /** Best full-valset score seen so far (minibatch scores are too noisy to count). */
  best?: number;
  /** The step running now. */
  currentStep?: string;
  stepsDone = 0;
  /** The run's LM calls at the last step boundary: where the next point's calls are counted from. */
  private anchor = 0;

  constructor(private readonly lm: CallMeter) {}

  attach(optimizer: Optimizer): void {
    // GEPA's pool additions arrive twice: as a valset evaluation (a trial event) and as a candidate.
    const mirrored = optimizer.name === 'GEPA';
    optimizer.on('step', (event) => this.step(event));
    if (!mirrored) optimizer.on('candidate', (event) => this.candidate(event));
    optimizer.on('trial', (event) => this.trial(event));
  }

  private step(event: StepEvent): void {
    this.anchor = this.lm.tally.calls;
    if (event.status === 'start') {
      this.currentStep = event.name;
      return;
    }
    this.stepsDone++;
    if (event.score !== undefined) {
      this.stepScores.push({ name: event.name, score: event.score });
      this.consider(event.score);
    }
  }

  private candidate(event: CandidateEvent): ReportPoint {
    return this.add({
      kind: 'candidate',
      index: event.index,
      total: event.total,
      label: event.label,
      key: event.key,
      score: event.score,
      fidelity: 'full',
      calls: event.calls,
      cumulativeCalls: this.callsSoFar(event.calls),
      resumed: event.resumed,
    });
  }

  private trial(event: TrialEvent): ReportPoint {
    return this.add({
      kind: event.kind,
      index: event.number - 1,
      total: event.total,
      label: event.label,
      score: event.score,
      fidelity: event.fidelity,
      examples: event.examples,
      calls: event.calls,
      cumulativeCalls: this.callsSoFar(event.calls),
      resumed: event.resumed,
      state: event.state,
    });
  }

  /**
   * Where a point sits on the calls axis. Trials run in parallel finish together, when the run's tally
   * already holds all their calls; stacking each point's own calls on the previous point's keeps them
   * apart, and the tally caps it.
   */
  private callsSoFar(calls: number): number {
    const previous = this.points.at(-1)?.cumulativeCalls ?? 0;
    return Math.min(this.lm.tally.calls, Math.max(previous, this.anchor) + calls);
  }

  private add(point: ReportPoint): ReportPoint {
    this.points.push(point);
    if (point.fidelity === 'full') this.consider(point.score);
    return point;
  }

  private consider(score: number): void {
    if (this.best === undefined || score > this.best) this.best = score;
  }
}
