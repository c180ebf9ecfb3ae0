import { Listeners } from '@sdp/internal';
import type { CircuitState } from './circuit-state.js';

/** The breaker moved from one state to another. */
export interface CircuitStateChangeEvent {
  readonly from: CircuitState;
  readonly to: CircuitState;
  /** Clock reading (epoch ms) when the move happened, i.e. when it was observed, as moves are lazy. */
  readonly at: number;
}

/** A function run by `execute` resolved. */
export interface CircuitSuccessEvent {
  /** Run time by the breaker's clock, from admission to settlement. */
  readonly durationMs: number;
  /** False when the result did not count: the caller's signal was aborted, or the call was admitted before the last state change. */
  readonly counted: boolean;
}

/**
 * How a rejection of the guarded function was classified:
 * `failure` (counts against the breaker), `ignored` (`isFailure` returned false: the function
 * answered, so it counts like a success) or `cancelled` (an `AbortError` or the caller's signal
 * aborted: never counts).
 */
export type CircuitFailureKind = 'failure' | 'ignored' | 'cancelled';

/** A function run by `execute` threw or rejected. */
export interface CircuitFailureEvent {
  readonly error: unknown;
  /** As in {@link CircuitSuccessEvent.durationMs}. */
  readonly durationMs: number;
  readonly kind: CircuitFailureKind;
  /** False for cancellations and for calls admitted before the last state change. */
  readonly counted: boolean;
}

/** `execute` refused a call (the event is the `CircuitOpenError` the call rejects with). */
export interface CircuitRejectEvent {
  readonly retryAfterMs: number;
  readonly state: CircuitState;
}

/**
 * The listeners of one breaker, one list per event. The policy is `Listeners`': a listener that
 * throws is isolated and its error ignored, so it disturbs neither the breaker, nor the call, nor
 * the other listeners.
 */
export interface CircuitListeners {
  readonly stateChange: Listeners<CircuitStateChangeEvent>;
  readonly success: Listeners<CircuitSuccessEvent>;
  readonly failure: Listeners<CircuitFailureEvent>;
  readonly reject: Listeners<CircuitRejectEvent>;
}

export function circuitListeners(): CircuitListeners {
  return {
    stateChange: new Listeners('CircuitBreaker'),
    success: new Listeners('CircuitBreaker'),
    failure: new Listeners('CircuitBreaker'),
    reject: new Listeners('CircuitBreaker'),
  };
}
