import type { CircuitFailureKind } from './circuit-events.js';

function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/**
 * How the rejection `error` of a call counts. A cancellation (an `AbortError`, or any outcome once
 * the caller's `signal` aborted) never counts. Otherwise `isFailure` decides; without one every
 * error is a failure. An `isFailure` that throws follows the one listener policy: its own error is
 * ignored (it must neither hide the call's error nor, rethrown, kill the process), and the call's
 * error counts as a failure, as it would without a predicate.
 */
export function classifyFailure(
  error: unknown,
  signal: AbortSignal | undefined,
  isFailure: ((error: unknown) => boolean) | undefined,
): CircuitFailureKind {
  if (signal?.aborted === true || isAbortError(error)) return 'cancelled';
  if (isFailure === undefined) return 'failure';
  try {
    return isFailure(error) ? 'failure' : 'ignored';
  } catch {
    return 'failure';
  }
}
