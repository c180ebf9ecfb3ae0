import { settle } from '@sdp/internal/testing';
import { describe, expect, it, vi } from 'vitest';
import { Dispatcher } from './dispatcher.js';
import { toRunRecord } from './run-record.js';
import { graphOf } from './testing/graph-of.js';
import { useTestDir } from './testing/test-dir.js';
import { RecordingExecutor } from './testing/recording-executor.js';

const test = useTestDir('sdp-record-');

class ExitError extends Error {
  override readonly name = 'CommandFailedError';
  constructor(readonly exitCode: number) {
    super(`command exited with code ${exitCode}`);
  }
}

describe('Attempt records', () => {
  it('records every attempt of a run in order: failed (with its exit code), timed out, then cancelled', async () => {
    const graph = graphOf({ a: [] });
    const dispatcher = new Dispatcher(graph, {
      featureId: 'F001',
      checkpoint: false,
      clock: test.clock,
      retries: 5,
      retryDelayMs: 50,
      attemptTimeoutMs: 1000,
      graceMs: 100,
    });
    const executor = new RecordingExecutor();
    const controller = new AbortController();
    const running = dispatcher.run(executor.execute, { signal: controller.signal });
    const start = test.clock.now();
    await vi.waitFor(() => {
      expect(executor.runs('a')).toBe(1);
    });
    await test.clock.advance(200);
    executor.reject('a', new ExitError(2));
    await test.clock.advance(50);
    await vi.waitFor(() => {
      expect(executor.runs('a')).toBe(2);
    });
    await test.clock.advance(1000); // the deadline of attempt 2
    await test.clock.advance(40);
    executor.reject('a', new Error('killed by SIGTERM')); // within the grace period
    await test.clock.advance(50);
    await vi.waitFor(() => {
      expect(executor.runs('a')).toBe(3);
    });
    await test.clock.advance(10);
    controller.abort(new Error('Ctrl-C'));
    await settle();
    executor.reject('a', new Error('aborted'));
    const report = await running;
    expect(report.results[0]?.attemptRecords).toEqual([
      {
        attempt: 1,
        startedAt: start,
        endedAt: start + 200,
        outcome: 'failed',
        error: { name: 'CommandFailedError', message: 'command exited with code 2', exitCode: 2 },
      },
      {
        attempt: 2,
        startedAt: start + 250,
        endedAt: start + 1290,
        outcome: 'timed-out',
        error: { name: 'AttemptTimeoutError', message: 'workstream a timed out after 1000 ms' },
      },
      { attempt: 3, startedAt: start + 1340, endedAt: start + 1350, outcome: 'cancelled', error: { name: 'Error', message: 'aborted' } },
    ]);
    expect(report.results[0]).toMatchObject({ status: 'cancelled', attempts: 3, durationMs: 1040 });
  });

  it('never reports a NaN duration, whenever a listener subscribes', async () => {
    const graph = graphOf({ a: [], b: [] });
    const dispatcher = new Dispatcher(graph, { featureId: 'F001', checkpoint: false, clock: test.clock, concurrency: 2 });
    const executor = new RecordingExecutor();
    const running = dispatcher.run(executor.execute);
    await vi.waitFor(() => {
      expect(executor.inFlight).toHaveLength(2);
    });
    const durations: number[] = [];
    dispatcher.onComplete((event) => durations.push(event.durationMs)); // after both were admitted
    dispatcher.onFailure((event) => durations.push(event.durationMs));
    await test.clock.advance(30);
    executor.resolve('a');
    executor.reject('b');
    const report = await running;
    expect(durations).toEqual([30, 30]);
    expect(report.results.map((result) => result.durationMs)).toEqual([30, 30]);
  });
});

describe('Run report and record', () => {
  it('reports when the run started and ended, its concurrency, fingerprint, critical path and breaker changes', async () => {
    const graph = graphOf({ a: [], b: ['a'], c: [], d: ['b'] });
    const dispatcher = new Dispatcher(graph, {
      featureId: 'F001',
      checkpoint: { dir: test.dir },
      clock: test.clock,
      concurrency: 2,
      breaker: { threshold: 1, window: 1 },
    });
    const executor = new RecordingExecutor();
    const startedAt = test.clock.now();
    const running = dispatcher.run(executor.execute);
    await vi.waitFor(() => {
      expect(executor.inFlight.sort()).toEqual(['a', 'c']);
    });
    await test.clock.advance(100);
    executor.resolve('a');
    await vi.waitFor(() => {
      expect(executor.inFlight.sort()).toEqual(['b', 'c']);
    });
    await test.clock.advance(100);
    executor.reject('c', new Error('c broke')); // opens the breaker
    await settle();
    executor.resolve('b');
    await test.clock.advance(60_000); // half-open: d is the trial, and closes it
    await vi.waitFor(() => {
      expect(executor.inFlight).toEqual(['d']);
    });
    executor.resolve('d');
    const report = await running;
    expect(report).toMatchObject({ startedAt, endedAt: test.clock.now(), concurrency: 2, graphFingerprint: graph.fingerprint() });
    expect(report.criticalPath).toEqual(['a', 'b']);
    expect(report.breakerChanges).toEqual([
      { from: 'closed', to: 'open', at: startedAt + 200 },
      { from: 'open', to: 'half-open', at: startedAt + 60_200 },
      { from: 'half-open', to: 'closed', at: startedAt + 60_200 },
    ]);

    const record = toRunRecord(report, '20260101T000000Z-abcd');
    expect(JSON.parse(JSON.stringify(record))).toStrictEqual(record);
    expect(record).toMatchObject({
      version: 1,
      runId: '20260101T000000Z-abcd',
      featureId: 'F001',
      outcome: 'failed',
      graphFingerprint: graph.fingerprint(),
      totals: { completed: 3, failed: 1 },
      checkpointErrors: [],
    });
    expect(record.results[2]).toEqual({
      id: 'c',
      status: 'failed',
      error: { name: 'Error', message: 'c broke' },
      attempts: 1,
      attemptRecords: [
        { attempt: 1, startedAt, endedAt: startedAt + 200, outcome: 'failed', error: { name: 'Error', message: 'c broke' } },
      ],
      startedAt,
      durationMs: 200,
      alreadyCompleted: false,
      rerunAfterCrash: false,
    });
  });

  it('makes a JSON-safe record of a cancelled run with odd errors (a thrown string, a failed save)', async () => {
    const graph = graphOf({ a: [], b: ['a'] });
    const dispatcher = new Dispatcher(graph, { featureId: 'F001', checkpoint: false, clock: test.clock, graceMs: 0 });
    const controller = new AbortController();
    const running = dispatcher.run(
      (_id, { signal }) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- an executor that throws a string
            reject('stopped');
          });
        }),
      { signal: controller.signal },
    );
    await settle();
    controller.abort();
    const report = await running;
    const record = toRunRecord({ ...report, checkpointErrors: [new Error('ENOSPC: no space left on device'), 42] }, 'r1');
    expect(JSON.parse(JSON.stringify(record))).toStrictEqual(record);
    expect(record.outcome).toBe('cancelled');
    expect(record.results[0]?.error).toEqual({ name: 'Error', message: 'stopped' });
    expect(record.checkpointErrors).toEqual([
      { name: 'Error', message: 'ENOSPC: no space left on device' },
      { name: 'Error', message: '42' },
    ]);
    expect(() => toRunRecord(report, '')).toThrow(TypeError);
  });
});
