/**
 * A binary heap of node indices ordered by `before(a, b)` (true when `a` must come out first).
 * Holds at most `capacity` indices; no index may be in it twice.
 */
export class IndexHeap {
  readonly #items: Int32Array;
  readonly #before: (a: number, b: number) => boolean;
  #size = 0;

  constructor(capacity: number, before: (a: number, b: number) => boolean) {
    this.#items = new Int32Array(Math.max(1, capacity));
    this.#before = before;
  }

  get size(): number {
    return this.#size;
  }

  /** The first index, or -1 when empty. */
  peek(): number {
    return this.#size === 0 ? -1 : (this.#items[0] ?? -1);
  }

  push(index: number): void {
    const items = this.#items;
    let at = this.#size++;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      const above = items[parent] ?? 0;
      if (!this.#before(index, above)) break;
      items[at] = above;
      at = parent;
    }
    items[at] = index;
  }

  /** Removes and returns the first index, or -1 when empty. */
  pop(): number {
    if (this.#size === 0) return -1;
    const items = this.#items;
    const first = items[0] ?? -1;
    const last = items[--this.#size] ?? -1;
    const size = this.#size;
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= size) break;
      const right = child + 1;
      if (right < size && this.#before(items[right] ?? 0, items[child] ?? 0)) child = right;
      const below = items[child] ?? 0;
      if (!this.#before(below, last)) break;
      items[at] = below;
      at = child;
    }
    if (size > 0) items[at] = last;
    return first;
  }
}
