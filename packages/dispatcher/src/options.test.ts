/* eslint-disable @typescript-eslint/no-deprecated -- this file checks that the deprecated names still work */
import { ManualClock, settle } from '@sdp/internal/testing';
import { describe, expect, it, vi } from 'vitest';
import { Dispatcher } from './dispatcher.js';
import {
  AttemptTimeoutError,
  CheckpointFeatureMismatchError,
  CheckpointGraphError,
  DispatcherBusyError,
  DispatcherError,
  InDoubtError,
  isAttemptTimeoutError,
  isCheckpointFeatureMismatchError,
  isCheckpointGraphError,
  isDispatcherBusyError,
  isDispatcherError,
  isInDoubtError,
  isLockLostError,
  isWorkstreamTimeoutError,
  LockLostError,
  WorkstreamTimeoutError,
} from './errors.js';
import type { DispatcherOptions } from './options.js';
import { graphOf } from './testing/graph-of.js';
import { RecordingExecutor } from './testing/recording-executor.js';

function dispatcher(edges: Record<string, string[]>, options: Partial<DispatcherOptions>, clock = new ManualClock()) {
  return new Dispatcher(graphOf(edges), { featureId: 'F001', checkpoint: false, clock, ...options });
}

describe('Renamed options and events', () => {
  it('still takes timeout, gracePeriod, retryDelay and onFail for one release', async () => {
    const clock = new ManualClock();
    const d = dispatcher({ a: [] }, { timeout: 100, gracePeriod: 50, retries: 1, retryDelay: 10 }, clock);
    const failures: number[] = [];
    d.onFail((event) => failures.push(event.attempt));
    const executor = new RecordingExecutor();
    const running = d.run(executor.execute);
    await vi.waitFor(() => {
      expect(executor.runs('a')).toBe(1);
    });
    await clock.advance(100); // the timeout: the executor ends its work within the grace period
    executor.reject('a', new Error('aborted'));
    await settle();
    await clock.advance(10); // retryDelay
    await vi.waitFor(() => {
      expect(executor.runs('a')).toBe(2);
    });
    await clock.advance(150); // timeout, and the grace period: abandoned
    const report = await running;
    expect(failures).toEqual([1, 2]);
    expect(isWorkstreamTimeoutError(report.results[0]?.error)).toBe(true);
    expect(report.results[0]?.error).toBeInstanceOf(WorkstreamTimeoutError);
  });

  it('refuses an old and a new name that disagree, and checks the new names', () => {
    expect(() => dispatcher({ a: [] }, { timeout: 100, attemptTimeoutMs: 200 })).toThrow(
      new TypeError('attemptTimeoutMs and its deprecated alias timeout disagree: give attemptTimeoutMs only'),
    );
    expect(() => dispatcher({ a: [] }, { graceMs: -1 })).toThrow(
      new RangeError('graceMs must be a finite number of milliseconds >= 0, got -1'),
    );
    expect(() => dispatcher({ a: [] }, { retryDelayMs: 'soon' as unknown as number })).toThrow(
      new TypeError('retryDelayMs must be a number or a function, got "soon"'),
    );
    expect(() => dispatcher({ a: [] }, { knownDurationsMs: { a: -5 } })).toThrow(
      new RangeError('knownDurationsMs["a"] must be a finite number of milliseconds >= 0, got -5'),
    );
    expect(() => dispatcher({ a: [] }, { endInDoubt: 'kill' as unknown as NonNullable<DispatcherOptions['endInDoubt']> })).toThrow(
      new TypeError('endInDoubt must be a function, got "kill"'),
    );
  });
});

describe('Durations from history', () => {
  it('orders ready workstreams by known durations from earlier runs', async () => {
    const edges = { quick: [], slow: [] };
    const byInsertion = new RecordingExecutor(() => true);
    await dispatcher(edges, { concurrency: 1 }).run(byInsertion.execute);
    expect(byInsertion.started).toEqual(['quick', 'slow']);

    for (const knownDurationsMs of [
      { quick: 10, slow: 5000, gone: 1 },
      new Map([
        ['quick', 10],
        ['slow', 5000],
      ]),
    ]) {
      const byHistory = new RecordingExecutor(() => true);
      await dispatcher(edges, { concurrency: 1, knownDurationsMs }).run(byHistory.execute);
      expect(byHistory.started).toEqual(['slow', 'quick']);
    }
  });
});

describe('Errors', () => {
  it('all extend DispatcherError, with DISPATCHER_ codes, each recognised by its guard', async () => {
    const busy = dispatcher({ a: [] }, {});
    const executor = new RecordingExecutor();
    const running = busy.run(executor.execute);
    const busyError: unknown = await busy.run(executor.execute).catch((error: unknown) => error);
    await settle();
    executor.resolve('a');
    await running;

    const errors: [Error, string, (value: unknown) => boolean][] = [
      [new CheckpointFeatureMismatchError('/x', 'F001', 'F002'), 'DISPATCHER_FEATURE_MISMATCH', isCheckpointFeatureMismatchError],
      [new CheckpointGraphError('/x', new Error('cycle')), 'DISPATCHER_CHECKPOINT_GRAPH', isCheckpointGraphError],
      [new AttemptTimeoutError('a', 100), 'DISPATCHER_ATTEMPT_TIMEOUT', isAttemptTimeoutError],
      [busyError as Error, 'DISPATCHER_BUSY', isDispatcherBusyError],
      [new LockLostError('/x', 'taken over'), 'DISPATCHER_LOCK_LOST', isLockLostError],
      [new InDoubtError('a', 'EPERM'), 'DISPATCHER_IN_DOUBT', isInDoubtError],
    ];
    for (const [error, code, guard] of errors) {
      expect(error).toBeInstanceOf(DispatcherError);
      expect(error).toHaveProperty('code', code);
      expect(isDispatcherError(error)).toBe(true);
      expect(guard(error)).toBe(true);
      for (const [other, , otherGuard] of errors) if (other !== error) expect(otherGuard(error)).toBe(false);
    }
    expect(busyError).toBeInstanceOf(DispatcherBusyError);
    expect(isDispatcherError(new Error('plain'))).toBe(false);
    // A copy of the package loaded twice: the guard holds without instanceof.
    const copy: unknown = Object.assign(new Error('x'), { name: 'AttemptTimeoutError', code: 'DISPATCHER_ATTEMPT_TIMEOUT' });
    expect(isAttemptTimeoutError(copy)).toBe(true);
  });
});
