/** `CircuitBreaker.fromSnapshot` was given something that is not a valid breaker snapshot. */
export class CircuitBreakerSnapshotError extends Error {
  override readonly name = 'CircuitBreakerSnapshotError';
  readonly code = 'INVALID_SNAPSHOT';
  /** The offending key, e.g. `state` or `window[3]`; absent when the snapshot itself is not an object. */
  declare readonly path?: string;

  constructor(message: string, path?: string) {
    super(`Invalid circuit breaker snapshot: ${message}`);
    if (path !== undefined) this.path = path;
  }
}

/** True for a {@link CircuitBreakerSnapshotError}, also one from another copy of this package. */
export function isCircuitBreakerSnapshotError(value: unknown): value is CircuitBreakerSnapshotError {
  if (value instanceof CircuitBreakerSnapshotError) return true;
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { code?: unknown; name?: unknown };
  return candidate.code === 'INVALID_SNAPSHOT' && candidate.name === 'CircuitBreakerSnapshotError';
}
