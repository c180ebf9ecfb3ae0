import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';
import type { CircuitBreakerSnapshot } from './circuit-breaker-snapshot.js';
import { ManualClock, rejectionOf } from '@sdp/internal/testing';
import { T0, nowOf } from './test-support.js';

const options = { halfOpenAfterMs: 10_000, maxHalfOpenAfterMs: 40_000 };

/** A breaker opened at T0 for 10 s, snapshot taken at T0 + 4 s (6 s left). */
async function openSnapshot(): Promise<CircuitBreakerSnapshot> {
  const clock = new ManualClock(T0);
  const breaker = new CircuitBreaker({ ...options, now: nowOf(clock) });
  for (let i = 0; i < 3; i++) await rejectionOf(breaker.execute(() => Promise.reject(new Error('x'))));
  clock.tick(4000);
  const snapshot = breaker.snapshot();
  expect(snapshot).toMatchObject({ state: 1, open_remaining_ms: 6000 });
  return snapshot;
}

function restoreAt(snapshot: CircuitBreakerSnapshot, time: number, extra: object = {}): CircuitBreaker {
  return CircuitBreaker.fromSnapshot(snapshot, { ...options, ...extra, now: () => time });
}

describe('restoring an open breaker keeps the remaining open time', () => {
  it('restored at once: the same remaining time', async () => {
    const snapshot = await openSnapshot();
    const restored = restoreAt(snapshot, T0 + 4000);
    expect(restored.metrics()).toMatchObject({ state: 'open', retryAfterMs: 6000, openUntil: T0 + 10_000, openedAt: T0 });
  });

  it('restored later: the elapsed time is taken off', async () => {
    const snapshot = await openSnapshot();
    expect(restoreAt(snapshot, T0 + 5000).retryAfterMs()).toBe(5000);
  });

  it('clock jumped forward past the open period: half-open, never negative', async () => {
    const snapshot = await openSnapshot();
    const restored = restoreAt(snapshot, T0 + 3_600_000);
    expect(restored.retryAfterMs()).toBe(0);
    expect(restored.state).toBe('half-open');
  });

  it('clock jumped backwards: the remaining time is not extended', async () => {
    const snapshot = await openSnapshot();
    const restored = restoreAt(snapshot, T0 - 3_600_000);
    expect(restored.metrics()).toMatchObject({ state: 'open', retryAfterMs: 6000 });
  });

  it('restored with a shorter halfOpenAfterMs: clamped to the new full open duration', async () => {
    const snapshot = await openSnapshot();
    expect(restoreAt(snapshot, T0 + 4000, { halfOpenAfterMs: 2000 }).retryAfterMs()).toBe(2000);
  });

  it('a tampered open_remaining_ms beyond the full duration is clamped', async () => {
    const snapshot = { ...(await openSnapshot()), open_remaining_ms: 1e12 };
    expect(restoreAt(snapshot, T0 + 4000).retryAfterMs()).toBe(10_000);
  });

  it('keeps the backoff streak: the next failed trial doubles from the restored count', async () => {
    const snapshot = { ...(await openSnapshot()), consecutive_opens: 2, open_remaining_ms: 20_000 };
    const clock = new ManualClock(T0 + 4000);
    const restored = CircuitBreaker.fromSnapshot(snapshot, { ...options, now: nowOf(clock) });
    expect(restored.retryAfterMs()).toBe(20_000);
    clock.tick(20_000);
    await rejectionOf(restored.execute(() => Promise.reject(new Error('x'))));
    expect(restored.metrics()).toMatchObject({ state: 'open', consecutiveOpens: 3, retryAfterMs: 40_000 });
  });
});

describe('Go-written snapshots (seed keys only)', () => {
  const goOpen = {
    state: 1,
    failure_count: 3,
    success_count: 0,
    consecutive_opens: 1,
    last_failure_time: '2026-02-07T12:00:00.123456789Z',
    last_state_change: '2026-02-07T12:00:00Z',
  } as const;

  it('open: the remaining time is measured from last_state_change', () => {
    expect(restoreAt(goOpen, T0 + 4000).retryAfterMs()).toBe(6000);
    expect(restoreAt(goOpen, T0 + 4000).metrics()).toMatchObject({ openedAt: T0, consecutiveOpens: 1 });
  });

  it('open: falls back to last_failure_time when last_state_change is absent', () => {
    const withoutChange = {
      state: 1,
      failure_count: 3,
      success_count: 0,
      consecutive_opens: 1,
      last_failure_time: goOpen.last_failure_time,
    } as const;
    expect(restoreAt(withoutChange, T0 + 4000).retryAfterMs()).toBe(6123);
  });

  it('open: a future last_state_change (clock went back) is clamped to one full open duration', () => {
    expect(restoreAt(goOpen, T0 - 3_600_000).retryAfterMs()).toBe(10_000);
  });

  it('open: long past gives half-open', () => {
    expect(restoreAt(goOpen, T0 + 3_600_000).state).toBe('half-open');
  });

  it('open with no times at all: a full open duration from now', () => {
    const snapshot = { ...goOpen, last_failure_time: '0001-01-01T00:00:00Z', last_state_change: '0001-01-01T00:00:00Z' };
    expect(restoreAt(snapshot, T0).metrics()).toMatchObject({ retryAfterMs: 10_000, openedAt: T0 });
  });

  it('open with consecutive_opens 0 counts as the first open', () => {
    expect(restoreAt({ ...goOpen, consecutive_opens: 0 }, T0).metrics()).toMatchObject({
      consecutiveOpens: 1,
      retryAfterMs: 10_000,
    });
  });

  it('closed: the window is rebuilt from the counts, failures most recent, at most threshold - 1 of them', () => {
    const closed = { ...goOpen, state: 0, failure_count: 7, success_count: 1, consecutive_opens: 2 } as const;
    expect(restoreAt(closed, T0).metrics()).toMatchObject({
      state: 'closed',
      window: [false, true, true],
      consecutiveOpens: 0,
    });
  });

  it('closed: counts beyond the window size are dropped', () => {
    const closed = { ...goOpen, state: 0, failure_count: 1, success_count: 40 } as const;
    expect(restoreAt(closed, T0).metrics().window).toEqual([false, false, false, false, true]);
  });

  it('open: failures up to the window size are kept for metrics', () => {
    expect(restoreAt({ ...goOpen, failure_count: 9 }, T0).metrics()).toMatchObject({
      failureCount: 5,
      window: [true, true, true, true, true],
    });
  });
});
