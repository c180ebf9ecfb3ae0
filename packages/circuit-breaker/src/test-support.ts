// Breaker-specific test helpers (not exported from the package); the general ones come from @sdp/internal/testing.
import type { ManualClock } from '@sdp/internal/testing';

export const T0 = Date.UTC(2026, 1, 7, 12, 0, 0);

/** The breaker's `now` option reading `clock`. */
export function nowOf(clock: ManualClock): () => number {
  return () => clock.now();
}

export function abortError(): Error {
  const error = new Error('aborted');
  error.name = 'AbortError';
  return error;
}
