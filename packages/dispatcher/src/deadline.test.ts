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
  withDeadline(execution.promise, {
    clock,
    timeout: 100,
    gracePeriod: 50,
    abort: (reason) => {
      controller.abort(reason);
    },
    stop: stop.signal,
    error,
  }).then(
    (value) => (outcome.value = value),
    (reason: unknown) => (outcome.error = reason),
  );
  return { clock, execution, controller, stop, error, outcome };
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
    const { clock, execution, controller, error, outcome } = setup();
    await clock.advance(100);
    expect(controller.signal.reason).toBe(error);
    expect(outcome).toEqual({});
    execution.resolve('late success');
    await settle();
    expect(outcome).toEqual({ error });
  });

  it('abandons an attempt that ignores the abort after the grace period', async () => {
    const { clock, error, outcome } = setup();
    await clock.advance(149);
    expect(outcome).toEqual({});
    await clock.advance(1);
    expect(outcome).toEqual({ error });
  });

  it('cancels its waits when the attempt is over', async () => {
    const { clock, execution, stop } = setup();
    execution.resolve(undefined);
    stop.abort();
    await settle();
    expect(clock.pendingTimers).toBe(0);
  });
});
