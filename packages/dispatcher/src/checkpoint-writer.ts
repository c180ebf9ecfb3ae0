/**
 * Coalesces checkpoint saves: at most one save in flight and one pending. The pending save builds its
 * content when it starts, so it always writes the latest state and saving never falls behind the run.
 */
export class CoalescingWriter {
  #inFlight: Promise<void> | undefined;
  #pending = false;
  #closed = false;

  constructor(
    private readonly write: () => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Asks for a save of the current state; returns at once. Ignored once closed. */
  request(): void {
    if (this.#closed) return;
    this.#pending = true;
    this.#inFlight ??= this.#drain();
  }

  /** Resolves once every requested save has been attempted (the last state is durable or its error reported). */
  async flush(): Promise<void> {
    while (this.#inFlight) await this.#inFlight;
  }

  /** No save starts from now on (one in flight finishes): e.g. the lock was lost, so nothing may be written. */
  close(): void {
    this.#closed = true;
    this.#pending = false;
  }

  async #drain(): Promise<void> {
    // Start on a later tick, so #inFlight is assigned before the loop can finish and clear it.
    await Promise.resolve();
    try {
      while (this.#pending && !this.#closed) {
        this.#pending = false;
        try {
          await this.write();
        } catch (error) {
          this.onError(error);
        }
      }
    } finally {
      this.#inFlight = undefined;
    }
  }
}
