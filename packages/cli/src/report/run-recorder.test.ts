import { Dispatcher } from '@sdp/dispatcher';
import { DependencyGraph } from '@sdp/graph';
import { ManualClock } from '@sdp/internal/testing';
import { describe, expect, it } from 'vitest';
import { RunRecorder } from './run-recorder.js';
import { simulatedRun } from './testing/simulated-run.js';

describe('RunRecorder', () => {
  it('records every attempt of a run with retries and failures: outcome, times, error and exit code, what blocked the skipped', async () => {
    const record = await simulatedRun({
      nodes: [{ id: 'a' }, { id: 'b', dependsOn: ['a'] }, { id: 'c', dependsOn: ['a'] }, { id: 'd', dependsOn: ['c'] }],
      failOnce: ['b'],
      failAlways: ['c'],
    });
    expect(record.outcome).toBe('failed');
    const byId = new Map(record.results.map((result) => [result.id, result]));
    expect(byId.get('b')?.attemptRecords.map((attempt) => attempt.outcome)).toEqual(['failed', 'completed']);
    expect(byId.get('b')?.attemptRecords[0]?.error).toEqual({
      name: 'CommandFailedError',
      message: 'command exited with code 1',
      exitCode: 1,
    });
    expect(byId.get('c')?.attemptRecords.map((attempt) => attempt.outcome)).toEqual(['failed', 'failed']);
    expect(byId.get('d')).toMatchObject({ status: 'skipped', blockedBy: 'c', attemptRecords: [] });
    for (const result of record.results) {
      expect(result.attemptRecords.map((attempt) => attempt.attempt)).toEqual(result.attemptRecords.map((_, index) => index + 1));
      for (const attempt of result.attemptRecords) {
        expect(attempt.startedAt).toBeGreaterThanOrEqual(record.startedAt);
        expect(attempt.endedAt).toBeGreaterThanOrEqual(attempt.startedAt);
        expect(attempt.endedAt).toBeLessThanOrEqual(record.endedAt);
      }
    }
    // The retry waited its delay (250 ms) after the failed attempt.
    const [failed, retried] = byId.get('b')?.attemptRecords ?? [];
    expect((retried?.startedAt ?? 0) - (failed?.endedAt ?? 0)).toBe(250);
    expect(record.dependsOn).toEqual({ a: [], b: ['a'], c: ['a'], d: ['c'] });
    expect(record.criticalPath).not.toContain('d');
    expect(JSON.parse(JSON.stringify(record))).toEqual(record);
  });

  it('records attempts still running at a cancellation as cancelled, ended when the run ended', async () => {
    const record = await simulatedRun({ size: 12, seed: 2, concurrency: 3, cancelAfterMs: 500 });
    expect(record.outcome).toBe('cancelled');
    const cancelled = record.results.filter((result) => result.status === 'cancelled');
    expect(cancelled.length).toBeGreaterThan(0);
    for (const result of cancelled) expect(result.attemptRecords.at(-1)).toMatchObject({ outcome: 'cancelled', endedAt: record.endedAt });
  });

  it('marks an attempt past its timeout as timed-out', async () => {
    const clock = new ManualClock();
    const graph = DependencyGraph.fromNodes([{ id: 'slow' }]);
    const dispatcher = new Dispatcher(graph, { featureId: 'F001', checkpoint: false, clock, attemptTimeoutMs: 1000, graceMs: 0 });
    const recorder = new RunRecorder();
    recorder.attach(dispatcher);
    const state = { finished: false };
    const running = dispatcher
      .run((_, { signal }) => clock.sleep(5000, signal))
      .finally(() => {
        state.finished = true;
      });
    while (!state.finished) await clock.advance(100);
    const record = recorder.record(await running, {
      runId: '20260101T000000000Z-000000',
      graph,
      concurrency: 3,
      startedAt: 0,
      endedAt: clock.now(),
      logDir: '/logs',
    });
    expect(record.results[0]?.attemptRecords).toEqual([
      expect.objectContaining({ attempt: 1, outcome: 'timed-out', endedAt: expect.any(Number) as number }),
    ]);
  });
});
