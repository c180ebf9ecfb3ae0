import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';
import { parseSnapshot, type CircuitBreakerSnapshot } from './circuit-breaker-snapshot.js';
import { isCircuitBreakerSnapshotError } from './circuit-breaker-snapshot-error.js';
import { ManualClock, rejectionOf } from '@sdp/internal/testing';
import { T0, nowOf } from './test-support.js';

const seedSnapshot = {
  state: 0,
  failure_count: 1,
  success_count: 0,
  consecutive_opens: 0,
  last_failure_time: '2026-02-07T12:34:00Z',
} as const;

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('snapshot()', () => {
  it('gives the seed keys and numbers plus the restore keys, as plain JSON', async () => {
    const clock = new ManualClock(T0);
    const breaker = new CircuitBreaker({ now: nowOf(clock) });
    expect(breaker.snapshot()).toEqual({
      state: 0,
      failure_count: 0,
      success_count: 0,
      consecutive_opens: 0,
      last_failure_time: '0001-01-01T00:00:00Z',
      last_state_change: '0001-01-01T00:00:00Z',
      window: [],
      taken_at: '2026-02-07T12:00:00.000Z',
    });
    await breaker.execute(() => 'ok');
    clock.tick(1500);
    await rejectionOf(breaker.execute(() => Promise.reject(new Error('x'))));
    const snapshot = breaker.snapshot();
    expect(snapshot).toEqual({
      state: 0,
      failure_count: 1,
      success_count: 1,
      consecutive_opens: 0,
      last_failure_time: '2026-02-07T12:00:01.500Z',
      last_state_change: '0001-01-01T00:00:00Z',
      window: [0, 1],
      taken_at: '2026-02-07T12:00:01.500Z',
    });
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
  });

  it('uses state 1 with the remaining open time while open, and 2 when half-open', async () => {
    const clock = new ManualClock(T0);
    const breaker = new CircuitBreaker({ now: nowOf(clock), threshold: 1, window: 1, halfOpenAfterMs: 1000 });
    await rejectionOf(breaker.execute(() => Promise.reject(new Error('x'))));
    clock.tick(300);
    expect(breaker.snapshot()).toMatchObject({
      state: 1,
      consecutive_opens: 1,
      last_state_change: '2026-02-07T12:00:00.000Z',
      open_remaining_ms: 700,
      taken_at: '2026-02-07T12:00:00.300Z',
    });
    clock.tick(700);
    const halfOpen = breaker.snapshot();
    expect(halfOpen).toMatchObject({ state: 2, consecutive_opens: 1, last_state_change: '2026-02-07T12:00:01.000Z' });
    expect('open_remaining_ms' in halfOpen).toBe(false);
  });
});

describe('parseSnapshot', () => {
  it('accepts the seed example (Go keys only)', () => {
    expect(parseSnapshot(seedSnapshot)).toEqual({
      state: 0,
      failureCount: 1,
      successCount: 0,
      consecutiveOpens: 0,
      lastFailureAt: Date.UTC(2026, 1, 7, 12, 34, 0),
      lastStateChangeAt: undefined,
      window: undefined,
      openRemainingMs: undefined,
      takenAt: undefined,
    });
  });

  it('reads Go nanosecond times, offsets and the zero time', () => {
    const parsed = parseSnapshot({
      ...seedSnapshot,
      last_failure_time: '2026-02-07T12:34:56.123456789Z',
      last_state_change: '0001-01-01T00:00:00Z',
      taken_at: '2026-02-07T13:34:56.5+01:00',
    });
    expect(parsed.lastFailureAt).toBe(Date.UTC(2026, 1, 7, 12, 34, 56, 123));
    expect(parsed.lastStateChangeAt).toBeUndefined();
    expect(parsed.takenAt).toBe(Date.UTC(2026, 1, 7, 12, 34, 56, 500));
  });

  it('accepts the window as 0/1 or booleans and ignores unknown keys', () => {
    const parsed = parseSnapshot({ ...seedSnapshot, success_count: 1, window: [false, 1], future_key: 'x' });
    expect(parsed.window).toEqual([false, true]);
  });

  it.each<[string, unknown, string | undefined, string]>([
    ['not an object', null, undefined, 'expected an object, got null'],
    ['an array', [], undefined, 'expected an object, got an array'],
    [
      'missing state',
      { ...seedSnapshot, state: undefined },
      'state',
      '"state" must be 0 (closed), 1 (open) or 2 (half-open), got undefined',
    ],
    ['state 3', { ...seedSnapshot, state: 3 }, 'state', 'got 3'],
    ['state as name', { ...seedSnapshot, state: 'open' }, 'state', 'got "open"'],
    [
      'negative failure_count',
      { ...seedSnapshot, failure_count: -1 },
      'failure_count',
      '"failure_count" must be a non-negative integer, got -1',
    ],
    ['fractional success_count', { ...seedSnapshot, success_count: 0.5 }, 'success_count', 'got 0.5'],
    ['string consecutive_opens', { ...seedSnapshot, consecutive_opens: '1' }, 'consecutive_opens', 'got "1"'],
    ['missing last_failure_time', { ...seedSnapshot, last_failure_time: undefined }, 'last_failure_time', 'got undefined'],
    ['date-only last_failure_time', { ...seedSnapshot, last_failure_time: '2026-02-07' }, 'last_failure_time', 'got "2026-02-07"'],
    ['impossible date', { ...seedSnapshot, last_failure_time: '2026-02-30T00:00:00Z' }, 'last_failure_time', 'RFC 3339'],
    ['null last_state_change', { ...seedSnapshot, last_state_change: null }, 'last_state_change', 'got null'],
    ['epoch number as time', { ...seedSnapshot, last_state_change: 1_770_000_000_000 }, 'last_state_change', 'got 1770000000000'],
    ['window not an array', { ...seedSnapshot, window: '10' }, 'window', '"window" must be an array of 0/1 or booleans'],
    ['bad window item', { ...seedSnapshot, window: [1, 2] }, 'window[1]', '"window[1]" must be 0, 1, true or false, got 2'],
    ['counts disagree with window', { ...seedSnapshot, window: [0] }, 'failure_count', 'the number of failures in "window" (0)'],
    ['successes disagree with window', { ...seedSnapshot, window: [1, 0] }, 'success_count', 'the number of successes in "window" (1)'],
    [
      'negative open_remaining_ms',
      { ...seedSnapshot, open_remaining_ms: -1, taken_at: '2026-02-07T12:00:00Z' },
      'open_remaining_ms',
      'got -1',
    ],
    [
      'NaN open_remaining_ms',
      { ...seedSnapshot, open_remaining_ms: Number.NaN, taken_at: '2026-02-07T12:00:00Z' },
      'open_remaining_ms',
      'got NaN',
    ],
    ['open_remaining_ms without taken_at', { ...seedSnapshot, open_remaining_ms: 5 }, 'taken_at', 'got undefined'],
    [
      'open_remaining_ms with zero taken_at',
      { ...seedSnapshot, open_remaining_ms: 5, taken_at: '0001-01-01T00:00:00Z' },
      'taken_at',
      'real time',
    ],
  ])('rejects %s, naming the key', (_, input, path, message) => {
    const error = catchError(() => parseSnapshot(input));
    expect(isCircuitBreakerSnapshotError(error)).toBe(true);
    expect((error as { path?: string }).path).toBe(path);
    expect((error as Error).message).toContain(message);
  });
});

describe('CircuitBreaker.fromSnapshot', () => {
  it('rejects a malformed snapshot with a typed error', () => {
    const error = catchError(() => CircuitBreaker.fromSnapshot({ ...seedSnapshot, state: 5 } as unknown as CircuitBreakerSnapshot));
    expect(isCircuitBreakerSnapshotError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'BREAKER_INVALID_SNAPSHOT', path: 'state' });
  });

  it('validates options too', () => {
    expect(() => CircuitBreaker.fromSnapshot(seedSnapshot, { window: 0 })).toThrow(RangeError);
  });

  it('restores the seed example as closed with one failure in the window', () => {
    const breaker = CircuitBreaker.fromSnapshot(seedSnapshot, { now: () => T0 });
    expect(breaker.metrics()).toMatchObject({
      state: 'closed',
      failureCount: 1,
      successCount: 0,
      window: [true],
      lastFailureAt: Date.UTC(2026, 1, 7, 12, 34, 0),
    });
  });

  it('restores a half-open snapshot as half-open with no trial in flight', async () => {
    const clock = new ManualClock(T0);
    const breaker = new CircuitBreaker({ now: nowOf(clock), threshold: 1, window: 1, halfOpenAfterMs: 1000 });
    await rejectionOf(breaker.execute(() => Promise.reject(new Error('x'))));
    clock.tick(1000);
    void breaker.execute(() => new Promise<never>(() => undefined));
    expect(breaker.metrics().trialInFlight).toBe(true);
    const restored = CircuitBreaker.fromSnapshot(breaker.snapshot(), { now: nowOf(clock), threshold: 1, window: 1, halfOpenAfterMs: 1000 });
    expect(restored.metrics()).toMatchObject({ state: 'half-open', trialInFlight: false, consecutiveOpens: 1 });
    await restored.execute(() => 'ok');
    expect(restored.state).toBe('closed');
  });

  it('keeps only the most recent outcomes when restored with a smaller window', () => {
    const breaker = CircuitBreaker.fromSnapshot(
      { ...seedSnapshot, failure_count: 2, success_count: 3, window: [1, 0, 1, 0, 0] },
      { window: 3, threshold: 2, now: () => T0 },
    );
    expect(breaker.metrics()).toMatchObject({ window: [true, false, false], failureCount: 1, successCount: 2 });
  });

  it('snapshot of a restored breaker equals the snapshot it was restored from', async () => {
    const clock = new ManualClock(T0);
    const options = { now: nowOf(clock), halfOpenAfterMs: 1000 };
    const breaker = new CircuitBreaker(options);
    for (let i = 0; i < 3; i++) await rejectionOf(breaker.execute(() => Promise.reject(new Error('x'))));
    clock.tick(250);
    const snapshot = JSON.parse(JSON.stringify(breaker.snapshot())) as CircuitBreakerSnapshot;
    expect(CircuitBreaker.fromSnapshot(snapshot, options).snapshot()).toEqual(snapshot);
  });
});
