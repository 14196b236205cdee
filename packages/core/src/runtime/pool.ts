/**
 * The one worker pool: `concurrency` workers pull items until `pull` has none left (or `stopped()` says
 * so) and hand each to `handle`. Workers start in order, so with the same inputs the order in which work
 * *starts* never depends on timing; results are the caller's to place.
 */
export async function drainConcurrently<T>(
  concurrency: number,
  pull: () => T | undefined | Promise<T | undefined>,
  handle: (item: T) => Promise<void>,
  stopped: () => boolean = () => false,
): Promise<void> {
  const worker = async (): Promise<void> => {
    while (!stopped()) {
      const item = await pull();
      if (item === undefined) return;
      await handle(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.floor(concurrency)) }, worker));
}

/**
 * `fn` over `items`, at most `concurrency` at once; the results keep the input order. The first error
 * stops new work from starting and is thrown once the calls in flight have settled.
 */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  await drainConcurrently(
    Math.min(concurrency, items.length),
    () => (next < items.length ? next++ : undefined),
    async (index) => {
      try {
        results[index] = await fn(items[index], index);
      } catch (error) {
        failure ??= { error };
      }
    },
    () => failure !== undefined,
  );
  if (failure) throw failure.error;
  return results;
}
