import { GO_ZERO_TIME_MS, describeValue, formatTime, parseRfc3339 } from '@sdp/internal';
import { CircuitBreakerSnapshotError } from './circuit-breaker-snapshot-error.js';
import type { CircuitMetrics } from './circuit-metrics.js';
import { stateCode, type CircuitStateCode } from './circuit-state.js';

/**
 * A breaker's state as plain JSON: the seed's `circuit_breaker` keys (which the Go implementation
 * reads and writes) plus the keys an exact restore needs. Go ignores the extra keys; Go-written
 * snapshots, which lack them, restore too (see `CircuitBreaker.fromSnapshot`).
 */
export interface CircuitBreakerSnapshot {
  /** 0 closed, 1 open, 2 half-open. */
  state: CircuitStateCode;
  /** Failures in the window. */
  failure_count: number;
  /** Successes in the window. */
  success_count: number;
  /** Opens in a row since the breaker last closed (0 while closed). */
  consecutive_opens: number;
  /** ISO-8601 UTC time of the last counted failure; Go's zero time `0001-01-01T00:00:00Z` when none. */
  last_failure_time: string;
  /** ISO-8601 UTC time of the last state change; Go's zero time when none (absent in Go-written files). */
  last_state_change?: string;
  /** The window's outcomes, oldest first: 1 (or `true`) = failure, 0 (or `false`) = success. */
  window?: readonly (0 | 1 | boolean)[];
  /** While open: ms of open time left at `taken_at`. */
  open_remaining_ms?: number;
  /** ISO-8601 UTC time (by the breaker's clock) the snapshot was taken. */
  taken_at?: string;
}

/** A snapshot that passed validation, times as epoch ms (`undefined` = never / absent). */
export interface ValidSnapshot {
  readonly state: CircuitStateCode;
  readonly failureCount: number;
  readonly successCount: number;
  readonly consecutiveOpens: number;
  readonly lastFailureAt: number | undefined;
  readonly lastStateChangeAt: number | undefined;
  readonly window: readonly boolean[] | undefined;
  readonly openRemainingMs: number | undefined;
  readonly takenAt: number | undefined;
}

function fail(path: string, expected: string, value: unknown): never {
  throw new CircuitBreakerSnapshotError(`"${path}" must be ${expected}, got ${describeValue(value)}`, path);
}

function count(record: Record<string, unknown>, key: string): number {
  const value = record[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    fail(key, 'a non-negative integer', value);
  }
  return value;
}

const TIME_EXPECTED = 'an RFC 3339 date-time such as "2026-02-07T12:34:56.123456789Z"';

function time(record: Record<string, unknown>, key: string, required: boolean): number | undefined {
  const value = record[key];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string') return fail(key, TIME_EXPECTED, value);
  const epochMs = parseRfc3339(value);
  if (epochMs === undefined) return fail(key, TIME_EXPECTED, value);
  return epochMs === GO_ZERO_TIME_MS ? undefined : epochMs;
}

function outcomes(value: unknown): boolean[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return fail('window', 'an array of 0/1 or booleans', value);
  return value.map((item: unknown, index) => {
    if (item === 1 || item === true) return true;
    if (item === 0 || item === false) return false;
    return fail(`window[${index}]`, '0, 1, true or false', item);
  });
}

/** Strictly validates untrusted input (e.g. parsed JSON) as a snapshot; throws {@link CircuitBreakerSnapshotError} naming the bad key. */
export function parseSnapshot(input: unknown): ValidSnapshot {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new CircuitBreakerSnapshotError(`expected an object, got ${describeValue(input)}`);
  }
  const record = input as Record<string, unknown>;
  const state = record['state'];
  if (state !== 0 && state !== 1 && state !== 2) fail('state', '0 (closed), 1 (open) or 2 (half-open)', state);
  const failureCount = count(record, 'failure_count');
  const successCount = count(record, 'success_count');
  const consecutiveOpens = count(record, 'consecutive_opens');
  const lastFailureAt = time(record, 'last_failure_time', true);
  const lastStateChangeAt = time(record, 'last_state_change', false);
  const window = outcomes(record['window']);
  if (window !== undefined) {
    const failures = window.filter(Boolean).length;
    if (failures !== failureCount) fail('failure_count', `the number of failures in "window" (${failures})`, failureCount);
    if (window.length - failures !== successCount) {
      fail('success_count', `the number of successes in "window" (${window.length - failures})`, successCount);
    }
  }
  const openRemainingMs = record['open_remaining_ms'];
  if (openRemainingMs !== undefined && (typeof openRemainingMs !== 'number' || !(openRemainingMs >= 0) || openRemainingMs === Infinity)) {
    fail('open_remaining_ms', 'a finite number >= 0', openRemainingMs);
  }
  const takenAt = time(record, 'taken_at', openRemainingMs !== undefined);
  if (openRemainingMs !== undefined && takenAt === undefined) {
    fail('taken_at', 'a real time (not the zero time) when "open_remaining_ms" is present', record['taken_at']);
  }
  return {
    state,
    failureCount,
    successCount,
    consecutiveOpens,
    lastFailureAt,
    lastStateChangeAt,
    window,
    openRemainingMs,
    takenAt,
  };
}

/** The snapshot of a breaker whose metrics at clock reading `now` are `metrics`. */
export function snapshotOf(metrics: CircuitMetrics, now: number): CircuitBreakerSnapshot {
  return {
    state: stateCode(metrics.state),
    failure_count: metrics.failureCount,
    success_count: metrics.successCount,
    consecutive_opens: metrics.consecutiveOpens,
    last_failure_time: formatTime(metrics.lastFailureAt),
    last_state_change: formatTime(metrics.lastStateChangeAt),
    window: metrics.window.map((failed) => (failed ? 1 : 0)),
    ...(metrics.state === 'open' ? { open_remaining_ms: metrics.retryAfterMs } : {}),
    taken_at: formatTime(now),
  };
}
