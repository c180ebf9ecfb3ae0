// Engine trick, kept for the closed-call overhead target (docs/benchmarks.md: <= 100 ns per call):
// calls alike in everything their settle callbacks capture share one pair instead of allocating two closures each.

/** The callbacks that count and report one admitted call's outcome. */
export interface Settlers {
  readonly resolved: (value: unknown) => unknown;
  readonly rejected: (error: unknown) => never;
}

export type MakeSettlers = (generation: number, trial: boolean, startedAt: number, signal: AbortSignal | undefined) => Settlers;

/**
 * The settlers of the last ordinary (non-trial) call, reused by the next one admitted in the same
 * generation, at the same clock reading, with the same signal: their callbacks would be identical.
 * A trial always gets its own.
 */
export class SharedSettlers {
  readonly #make: MakeSettlers;
  #generation = -1;
  #startedAt = Number.NaN;
  #signal: AbortSignal | undefined;
  #last: Settlers | undefined;

  constructor(make: MakeSettlers) {
    this.#make = make;
  }

  get(generation: number, trial: boolean, startedAt: number, signal: AbortSignal | undefined): Settlers {
    if (trial) return this.#make(generation, true, startedAt, signal);
    if (this.#last !== undefined && generation === this.#generation && startedAt === this.#startedAt && signal === this.#signal) {
      return this.#last;
    }
    this.#generation = generation;
    this.#startedAt = startedAt;
    this.#signal = signal;
    this.#last = this.#make(generation, false, startedAt, signal);
    return this.#last;
  }
}
