import { hasErrorCode } from '@sdp/internal';
import { CircuitBreakerError } from './circuit-breaker-error.js';
import type { CircuitState } from './circuit-state.js';

const CODES: ReadonlySet<string> = new Set(['BREAKER_OPEN']);

/**
 * Why `execute` refused to run a function: the breaker is open, or it is half-open and its one
 * trial call is still running. The function was not called and the refusal is not a failure.
 */
export class CircuitOpenError extends CircuitBreakerError {
  override readonly name = 'CircuitOpenError';
  readonly code = 'BREAKER_OPEN';
  /** Milliseconds until a trial may be admitted; 0 when half-open (the trial in flight decides). */
  readonly retryAfterMs: number;
  /** The state that refused the call. */
  readonly state: Exclude<CircuitState, 'closed'>;

  constructor(retryAfterMs: number, state: Exclude<CircuitState, 'closed'>) {
    super(
      state === 'open'
        ? `Circuit is open; a trial call is allowed in ${retryAfterMs} ms`
        : 'Circuit is half-open and its trial call is still running',
    );
    this.retryAfterMs = retryAfterMs;
    this.state = state;
  }
}

/** True for a {@link CircuitOpenError}, also one from another copy of this package. */
export function isCircuitOpenError(value: unknown): value is CircuitOpenError {
  return hasErrorCode(value, 'CircuitOpenError', CODES);
}
