import { describe, expect, it } from 'vitest';
import { withDeadline } from './deadline.js';
import { deferred, ManualClock, settle } from '@sdp/internal/testing';

function setup() {
  const clock = new ManualClock();
  const execution = deferred<unknown>();
  const controller = new AbortController();
  const stop = new AbortController();
  const error = new Error('too slow');
  const outcome: { value?: unknown; error?: unknown } = {};
  const seen: string[] = [];
  withDeadline(execution.promise, {
    clock,
    timeoutMs: 100,
    graceMs: 50,
    onAbandon: () => seen.push('abandoned'),
    onSettled: () => seen.push('settled'),
    abort: (reason) => {
      controller.abort(reason);
    },
    stop: stop.signal,
    error,
  }).then(
    (value) => (outcome.value = value),
    (reason: unknown) => (outcome.error = reason),
  );
  return { clock, execution, controller, stop, error, outcome, seen };
}

describe('withDeadline', () => {
  it('passes the outcome through when the attempt settles in time', async () => {
    const { clock, execution, controller, outcome } = setup();
    await clock.advance(99);
    execution.resolve('done');
    await settle();
    expect(outcome).toEqual({ value: 'done' });
    expect(controller.signal.aborted).toBe(false);
  });

  it('aborts at the deadline and fails with the timeout error once the attempt settles', async () => {
    const { clock, execution, controller, error, outcome, seen } = setup();
    await clock.advance(100);
    expect(controller.signal.reason).toBe(error);
    expect(outcome).toEqual({});
    execution.resolve('late success');
    await settle();
    expect(outcome).toEqual({ error });
    expect(seen).toEqual(['settled']);
  });

  it('abandons an attempt that ignores the abort after the grace period, and says when it settles later', async () => {
    const { clock, execution, error, outcome, seen } = setup();
    await clock.advance(149);
    expect(outcome).toEqual({});
    expect(seen).toEqual([]);
    await clock.advance(1);
    expect(outcome).toEqual({ error });
    expect(seen).toEqual(['abandoned']);
    execution.resolve('much later');
    await settle();
    expect(seen).toEqual(['abandoned', 'settled']);
  });

  it('cancels its waits when the attempt is over', async () => {
    const { clock, execution, stop } = setup();
    execution.resolve(undefined);
    stop.abort();
    await settle();
    expect(clock.pendingTimers).toBe(0);
  });
});
