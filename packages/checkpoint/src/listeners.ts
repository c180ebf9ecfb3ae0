/** An `onXxx(listener)` registration's disposer: removes that registration; calling it again does nothing. */
export type Dispose = () => void;

/**
 * The listeners of one event. A listener that throws cannot disturb the store or the other listeners:
 * its error is rethrown on a microtask, as `EventTarget` does, where it surfaces as an uncaught
 * exception instead of vanishing.
 */
export class Listeners<E> {
  #list: readonly ((event: E) => void)[] = [];

  add(listener: (event: E) => void, method: string): Dispose {
    if (typeof listener !== 'function') {
      throw new TypeError(`CheckpointStore.${method}: listener must be a function, got ${typeof listener}`);
    }
    // A fresh wrapper per registration, so adding one function twice gives two independent registrations.
    const entry = (event: E): void => {
      listener(event);
    };
    this.#list = [...this.#list, entry];
    return () => {
      this.#list = this.#list.filter((candidate) => candidate !== entry);
    };
  }

  emit(event: E): void {
    for (const listener of this.#list) {
      try {
        listener(event);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
