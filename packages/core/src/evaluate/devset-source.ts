import { EvaluationError } from './errors';

/** Where Evaluate pulls examples from: an array or iterable, or an async iterable such as `streamDataset`. */
export interface DevsetSource<E> {
  total?: number;
  next(): Promise<{ index: number; example: E } | undefined>;
  close(): Promise<void>;
}

/** Pulls examples one at a time, numbering them; calls to `next` on an async iterator are serialised. */
export function devsetSource<E>(devset: Iterable<E> | AsyncIterable<E>): DevsetSource<E> {
  let index = 0;
  let finished = false;
  if (devset && typeof (devset as Iterable<E>)[Symbol.iterator] === 'function') {
    const iterator = (devset as Iterable<E>)[Symbol.iterator]();
    return {
      total: Array.isArray(devset) ? devset.length : undefined,
      next: async () => {
        if (finished) return undefined;
        const step = iterator.next();
        if (step.done) {
          finished = true;
          return undefined;
        }
        return { index: index++, example: step.value };
      },
      close: async () => {
        if (!finished) iterator.return?.();
      },
    };
  }
  if (devset && typeof (devset as AsyncIterable<E>)[Symbol.asyncIterator] === 'function') {
    const iterator = (devset as AsyncIterable<E>)[Symbol.asyncIterator]();
    let chain: Promise<unknown> = Promise.resolve();
    return {
      next: () => {
        const step = chain.then(async () => {
          if (finished) return undefined;
          const next = await iterator.next();
          if (next.done) {
            finished = true;
            return undefined;
          }
          return { index: index++, example: next.value };
        });
        chain = step.catch(() => undefined);
        return step;
      },
      close: async () => {
        if (!finished) await iterator.return?.();
      },
    };
  }
  throw new EvaluationError('Evaluate needs a devset: an array of Examples or an async iterable of them.');
}
