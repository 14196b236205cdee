/**
 * One `abort` listener per AbortSignal, however many waiters watch it. A signal shared by many concurrent
 * calls (a server's shutdown signal, one `AbortSignal.timeout()` for a whole evaluation) would otherwise
 * collect a listener per call and scheduler slot and retry sleep, and Node warns
 * (`MaxListenersExceededWarning`) past ten.
 */

const watchers = new WeakMap<AbortSignal, Set<() => void>>();

function fire(this: AbortSignal): void {
  const callbacks = watchers.get(this);
  if (!callbacks) return;
  watchers.delete(this);
  for (const callback of callbacks) callback();
}

/**
 * Calls `callback` once when `signal` aborts; returns the function that stops watching (call it when the
 * work is over). An already aborted signal is the caller's to check: this only watches for the event.
 */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  let callbacks = watchers.get(signal);
  if (!callbacks) {
    callbacks = new Set();
    watchers.set(signal, callbacks);
    signal.addEventListener('abort', fire, { once: true });
  }
  // A wrapper per registration, so the same function registered twice is two watchers.
  const entry = () => callback();
  callbacks.add(entry);
  const watched = callbacks;
  return () => {
    if (!watched.delete(entry) || watched.size > 0 || watchers.get(signal) !== watched) return;
    watchers.delete(signal);
    signal.removeEventListener('abort', fire);
  };
}
