import type { CircuitState } from './circuit-state.js';

/** A breaker's state at one clock reading, for dashboards and schedulers. */
export interface CircuitMetrics {
  readonly state: CircuitState;
  /** Failures in the window. */
  readonly failureCount: number;
  /** Successes in the window. */
  readonly successCount: number;
  /** Opens in a row since the breaker last closed. */
  readonly consecutiveOpens: number;
  /** The window's outcomes, oldest first; `true` = failure. A copy. */
  readonly window: readonly boolean[];
  /** True while half-open and the one trial call is running. */
  readonly trialInFlight: boolean;
  /** While open: when it opened (epoch ms). */
  readonly openedAt?: number;
  /** While open: when a trial will be admitted (epoch ms). */
  readonly openUntil?: number;
  /** When the last counted failure happened (epoch ms), if ever. */
  readonly lastFailureAt?: number;
  /** When the last state change happened (epoch ms), if ever. */
  readonly lastStateChangeAt?: number;
  /** As `retryAfterMs()`. */
  readonly retryAfterMs: number;
}
