import { hasErrorCode } from '@sdp/internal';
import { CircuitBreakerError } from './circuit-breaker-error.js';

const CODES: ReadonlySet<string> = new Set(['BREAKER_INVALID_SNAPSHOT']);

/** `CircuitBreaker.fromSnapshot` was given something that is not a valid breaker snapshot. */
export class CircuitBreakerSnapshotError extends CircuitBreakerError {
  override readonly name = 'CircuitBreakerSnapshotError';
  readonly code = 'BREAKER_INVALID_SNAPSHOT';
  /** The offending key, e.g. `state` or `window[3]`; absent when the snapshot itself is not an object. */
  declare readonly path?: string;

  constructor(message: string, path?: string) {
    super(`Invalid circuit breaker snapshot: ${message}`);
    if (path !== undefined) this.path = path;
  }
}

/** True for a {@link CircuitBreakerSnapshotError}, also one from another copy of this package. */
export function isCircuitBreakerSnapshotError(value: unknown): value is CircuitBreakerSnapshotError {
  return hasErrorCode(value, 'CircuitBreakerSnapshotError', CODES);
}
