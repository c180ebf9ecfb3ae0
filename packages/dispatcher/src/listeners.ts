/** A set of listeners for one event; `add` returns the disposer. A throwing listener never breaks a run. */
export class Listeners<T> {
  readonly #listeners = new Set<(event: T) => void>();

  add(listener: (event: T) => void): () => void {
    if (typeof listener !== 'function') {
      throw new TypeError(`listener must be a function, got ${typeof listener}`);
    }
    // Wrap so that adding the same function twice gives two independent registrations.
    const entry = (event: T) => {
      listener(event);
    };
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  /** How many listen: an event nobody listens to need not be made. */
  get size(): number {
    return this.#listeners.size;
  }

  emit(event: T): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A listener's bug must not corrupt scheduling or lose a checkpoint.
      }
    }
  }
}
