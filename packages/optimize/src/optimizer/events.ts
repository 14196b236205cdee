import type { Assignment } from './assignment';
import type { CallCounts, OptimizationReport } from './report';

/** A step of an optimizer started or ended (`bootstrap`, `baseline`, `candidate 3`, …). */
export interface StepEvent {
  readonly name: string;
  readonly status: 'start' | 'end';
  /** The valset score (percent) the step measured, when it measured one. */
  readonly score?: number;
  /** LM calls of this step (on `end`). */
  readonly calls?: CallCounts;
}

/** A candidate program was scored (or its score was read back from the journal). */
export interface CandidateEvent {
  /** 0-based position in the optimizer's plan. */
  readonly index: number;
  readonly total: number;
  /** Stable id of the candidate within a run (the journal key), e.g. `seed:-3`. */
  readonly key: string;
  readonly label: string;
  /** Valset score in percent. */
  readonly score: number;
  /** Best score so far, including this one. */
  readonly best: number;
  /** LM calls the candidate cost when it was evaluated. */
  readonly calls: number;
  /** True when the score came from the journal of an earlier run. */
  readonly resumed: boolean;
}

/** One trial of a search over parameters (emitted by search optimizers such as MIPRO). */
export interface TrialEvent {
  readonly trial: number;
  readonly total: number;
  readonly assignment: Assignment;
  readonly score: number;
  /** `'minibatch'` for a partial evaluation, `'full'` for the whole valset. */
  readonly fidelity: 'minibatch' | 'full';
  readonly calls: number;
  readonly resumed: boolean;
}

/** The events every optimizer emits; the CLI turns them into progress bars. */
export interface OptimizerEvents {
  step: StepEvent;
  candidate: CandidateEvent;
  trial: TrialEvent;
  done: { readonly report: OptimizationReport };
}

/** A listener of event `K` of the event map `E`. */
export type Listener<E, K extends keyof E> = (event: E[K]) => void;

/**
 * A small typed event emitter: listeners are called synchronously in registration order; a listener
 * that throws does not stop the optimizer (the error is reported as a process warning).
 */
export class TypedEmitter<E> {
  private readonly listeners = new Map<keyof E, Listener<E, any>[]>();

  /** Adds a listener. @example optimizer.on('candidate', (c) => console.log(c.label, c.score)); */
  on<K extends keyof E>(event: K, listener: Listener<E, K>): this {
    const list = this.listeners.get(event) ?? [];
    list.push(listener);
    this.listeners.set(event, list);
    return this;
  }

  /** Removes a listener added with `on`. */
  off<K extends keyof E>(event: K, listener: Listener<E, K>): this {
    const list = this.listeners.get(event);
    if (list)
      this.listeners.set(
        event,
        list.filter((l) => l !== listener),
      );
    return this;
  }

  /** Calls every listener of `event` with `payload`. */
  emit<K extends keyof E>(event: K, payload: E[K]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        listener(payload);
      } catch (error) {
        process.emitWarning(`A "${String(event)}" listener threw: ${(error as Error)?.message ?? error}`, {
          code: 'SIGIL_LISTENER_ERROR',
        });
      }
    }
  }
}
