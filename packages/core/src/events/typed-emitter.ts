import { logWarning } from '../logging/log';
/** A listener of one event of an emitter. */
export type Listener<E, K extends keyof E> = (event: E[K]) => void;

/**
 * The one typed event emitter (optimizer progress, LM events). A throwing listener never breaks the work
 * it listens to: it is reported once as a process warning.
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
    if (list) {
      const at = list.indexOf(listener);
      if (at >= 0) list.splice(at, 1);
    }
    return this;
  }

  /** True when `event` has a listener (emitting costs nothing when none does). */
  listens(event: keyof E): boolean {
    return (this.listeners.get(event)?.length ?? 0) > 0;
  }

  /** Calls every listener of `event` with `payload`. */
  emit<K extends keyof E>(event: K, payload: E[K]): void {
    const list = this.listeners.get(event);
    if (!list) return;
    for (const listener of [...list]) {
      try {
        listener(payload);
      } catch (error) {
        logWarning(
          'SIGIL_LISTENER_ERROR',
          `A "${String(event)}" listener threw: ${(error as Error)?.message ?? error}`,
        );
      }
    }
  }
}
