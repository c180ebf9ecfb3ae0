/** A growable list of 32-bit integers: amortised O(1) appends, views without copying. */
export class IntList {
  #data: Int32Array;
  #length = 0;

  constructor(capacity = 16) {
    this.#data = new Int32Array(Math.max(1, capacity));
  }

  /** A list of the first `length` (at most `data.length`) values of `data`, which it takes over without copying. */
  static adopt(data: Int32Array, length: number): IntList {
    const list = new IntList(0);
    list.#data = data.length === 0 ? new Int32Array(1) : data;
    list.#length = length;
    return list;
  }

  get length(): number {
    return this.#length;
  }

  push(value: number): void {
    if (this.#length === this.#data.length) {
      const grown = new Int32Array(this.#data.length * 2);
      grown.set(this.#data);
      this.#data = grown;
    }
    this.#data[this.#length++] = value;
  }

  /** The current contents. Later pushes never change what a view shows (they write past its end). */
  view(): Int32Array {
    return this.#data.subarray(0, this.#length);
  }
}
