import type { ResolvedOptions } from './circuit-breaker-options.js';

/** How long the breaker stays open on its `consecutiveOpens`-th open in a row (>= 1), in ms. */
export function openDurationMs(options: ResolvedOptions, consecutiveOpens: number): number {
  return Math.min(options.halfOpenAfterMs * 2 ** (consecutiveOpens - 1), options.maxHalfOpenAfterMs);
}

/**
 * The clock arithmetic of one open period (epoch ms). A clock that went back since the last
 * reading counts as no time passing (the remaining open time is kept), so a clock jump can neither
 * extend nor skip the period; a clock that went forward counts as time that passed.
 */
export class OpenPeriod {
  #openedAt = 0;
  #until = 0;
  /** The last clock reading seen while open. */
  #observedAt = 0;

  get openedAt(): number {
    return this.#openedAt;
  }

  /** When a trial will be admitted, as of the last reading. */
  get until(): number {
    return this.#until;
  }

  start(openedAt: number, until: number, now: number): void {
    this.#openedAt = openedAt;
    this.#until = until;
    this.#observedAt = now;
  }

  /** Takes clock reading `now` into account; true when the period is over. */
  isOverAt(now: number): boolean {
    if (now < this.#observedAt) this.#until -= this.#observedAt - now;
    this.#observedAt = now;
    return now >= this.#until;
  }
}
