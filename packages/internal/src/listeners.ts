import { describeValue } from './describe-value.js';
import type { Dispose } from './dispose.js';

/**
 * The listeners of one event, for the `onXxx(listener) => Dispose` methods of every package.
 *
 * One error policy everywhere: a listener that throws is isolated and its error ignored. The
 * emitter's state (a run, a breaker, a store) is updated before its events go out, and a listener's
 * bug must neither stop the other listeners nor, by surfacing as an uncaught exception, kill the
 * process in the middle of a run and lose its checkpoint. Listeners report their own errors.
 *
 * Emitting iterates a copy-on-write array, so listeners may subscribe or dispose while an event is
 * being delivered; adding one function twice gives two independent registrations.
 */
export class Listeners<E> {
  #list: readonly ((event: E) => void)[] = [];

  /** `owner` names the method in the `TypeError` for a listener that is not a function. */
  constructor(readonly owner: string) {}

  /** How many listen: an event nobody listens to need not be built. */
  get size(): number {
    return this.#list.length;
  }

  add(listener: (event: E) => void, method: string): Dispose {
    if (typeof listener !== 'function') {
      throw new TypeError(`${this.owner}.${method}: listener must be a function, got ${describeValue(listener)}`);
    }
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
      } catch {
        // Isolated by design (see the class comment).
      }
    }
  }
}
