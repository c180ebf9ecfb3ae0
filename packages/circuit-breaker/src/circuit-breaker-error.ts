import { hasErrorCode } from '@sdp/internal';

/** The stable codes of this package's errors, one per error class. */
export type CircuitBreakerErrorCode = 'BREAKER_OPEN' | 'BREAKER_INVALID_SNAPSHOT';

const CODES: ReadonlySet<string> = new Set<CircuitBreakerErrorCode>(['BREAKER_OPEN', 'BREAKER_INVALID_SNAPSHOT']);

/**
 * The base of every error of this package ({@link CircuitOpenError}, `CircuitBreakerSnapshotError`);
 * `code` tells which one. Invalid options are plain `TypeError`/`RangeError`s.
 */
export abstract class CircuitBreakerError extends Error {
  abstract readonly code: CircuitBreakerErrorCode;
}

/** True for any error of this package, also one from another copy of it. */
export function isCircuitBreakerError(value: unknown): value is CircuitBreakerError {
  return hasErrorCode(value, undefined, CODES);
}
