/**
 * The count-based sliding window: the outcomes of the last `capacity` counted calls, kept in a
 * ring buffer so recording an outcome allocates nothing.
 */
export class OutcomeWindow {
  readonly #outcomes: Uint8Array; // 1 = failure, 0 = success
  #next = 0;
  #size = 0;
  #failures = 0;

  constructor(capacity: number) {
    this.#outcomes = new Uint8Array(capacity);
  }

  get size(): number {
    return this.#size;
  }

  get failures(): number {
    return this.#failures;
  }

  get successes(): number {
    return this.#size - this.#failures;
  }

  push(failed: boolean): void {
    const outcomes = this.#outcomes;
    const bit = failed ? 1 : 0;
    if (this.#size === outcomes.length) {
      this.#failures -= outcomes[this.#next] ?? 0;
    } else {
      this.#size++;
    }
    outcomes[this.#next] = bit;
    this.#failures += bit;
    this.#next = this.#next + 1 === outcomes.length ? 0 : this.#next + 1;
  }

  clear(): void {
    this.#next = 0;
    this.#size = 0;
    this.#failures = 0;
  }

  /** The outcomes, oldest first (`true` = failure). */
  toArray(): boolean[] {
    const outcomes = this.#outcomes;
    const start = this.#size === outcomes.length ? this.#next : 0;
    const result = new Array<boolean>(this.#size);
    for (let i = 0; i < this.#size; i++) {
      result[i] = outcomes[(start + i) % outcomes.length] === 1;
    }
    return result;
  }
}
