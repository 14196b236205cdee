/**
 * A typed binary min-heap. `tinyqueue` (named in the design) ships ESM only, which CommonJS builds and
 * Jest under Node 20 cannot `require`; this is the same ~50-line algorithm, typed.
 */
export class BinaryHeap<T> {
  private readonly items: T[] = [];

  /** `compare(a, b) < 0` puts `a` first. */
  constructor(private readonly compare: (a: T, b: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    const items = this.items;
    items.push(item);
    let at = items.length - 1;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (this.compare(item, items[parent]) >= 0) break;
      items[at] = items[parent];
      at = parent;
    }
    items[at] = item;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  pop(): T | undefined {
    const items = this.items;
    if (items.length === 0) return undefined;
    const top = items[0];
    const last = items.pop() as T;
    if (items.length > 0) {
      const half = items.length >> 1;
      let at = 0;
      while (at < half) {
        let child = 2 * at + 1;
        const right = child + 1;
        if (right < items.length && this.compare(items[right], items[child]) < 0) child = right;
        if (this.compare(items[child], last) >= 0) break;
        items[at] = items[child];
        at = child;
      }
      items[at] = last;
    }
    return top;
  }
}
