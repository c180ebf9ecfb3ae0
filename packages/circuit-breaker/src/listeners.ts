/** An `onXxx(listener)` registration's disposer: removes that registration; calling it again does nothing. */
export type Dispose = () => void;

/**
 * A list of listeners for one event. Emitting iterates a copy-on-write array, so listeners may
 * subscribe or dispose while an event is being delivered. A listener that throws cannot disturb
 * the breaker or the other listeners: its error is rethrown on a microtask, as `EventTarget` does,
 * where it surfaces as an uncaught exception instead of vanishing.
 */
export class Listeners<E> {
  #list: readonly ((event: E) => void)[] = [];

  get size(): number {
    return this.#list.length;
  }

  add(listener: (event: E) => void, method: string): Dispose {
    if (typeof listener !== 'function') {
      throw new TypeError(`CircuitBreaker.${method}: listener must be a function, got ${typeof listener}`);
    }
    this.#list = [...this.#list, listener];
    let disposed = false;
    return () => {
      if (disposed) return;
      disposed = true;
      const index = this.#list.indexOf(listener);
      this.#list = [...this.#list.slice(0, index), ...this.#list.slice(index + 1)];
    };
  }

  emit(event: E): void {
    for (const listener of this.#list) {
      try {
        listener(event);
      } catch (error) {
        reportAsync(error);
      }
    }
  }
}

/** Rethrows a callback's error outside the breaker's call stack. */
export function reportAsync(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}
