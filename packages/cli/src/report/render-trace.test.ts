import { describe, expect, it } from 'vitest';
import { renderTrace, type TraceEvent } from './render-trace.js';
import type { StoredRunRecord } from './run-record.js';
import { simulatedRun } from './testing/simulated-run.js';

function attemptEvents(events: readonly TraceEvent[]): TraceEvent[] {
  return events.filter((event) => event.ph === 'X' && event.cat !== 'breaker');
}

function expectEveryAttemptOnceAndSlotsApart(record: StoredRunRecord): void {
  const trace = renderTrace(record);
  const events = attemptEvents(trace.traceEvents);
  const expected = record.results
    .flatMap((result) => result.attemptRecords.map((attempt) => `${result.id}#${attempt.attempt}:${attempt.outcome}`))
    .sort();
  expect(events.map((event) => `${String(event.args['workstream'])}#${String(event.args['attempt'])}:${String(event.cat)}`).sort()).toEqual(
    expected,
  );
  for (const event of events) {
    expect(event.name).toBe(event.args['workstream']);
    expect(event.tid).toBeGreaterThanOrEqual(1);
    expect(event.dur).toBeGreaterThanOrEqual(0);
  }
  // One track per slot: the events of a track never overlap.
  const byTrack = new Map<number, TraceEvent[]>();
  for (const event of events) byTrack.set(event.tid, [...(byTrack.get(event.tid) ?? []), event]);
  for (const track of byTrack.values()) {
    const sorted = track.sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0));
    for (let index = 1; index < sorted.length; index += 1) {
      const before = sorted[index - 1];
      const after = sorted[index];
      expect((before?.ts ?? 0) + (before?.dur ?? 0)).toBeLessThanOrEqual(after?.ts ?? 0);
    }
  }
  // Never more tracks than the run had slots (a slot is held through a retry delay too).
  expect(byTrack.size).toBeLessThanOrEqual(record.concurrency);
  const named = trace.traceEvents.filter((event) => event.ph === 'M' && event.name === 'thread_name').map((event) => event.tid);
  for (const tid of byTrack.keys()) expect(named).toContain(tid);
  // What Perfetto and chrome://tracing read: JSON with traceEvents.
  expect(JSON.parse(JSON.stringify(trace))).toHaveProperty('traceEvents');
}

describe('renderTrace (Chrome Trace Event format)', () => {
  it('has one complete event per attempt, retries and failures included, on slots that never overlap', async () => {
    const record = await simulatedRun({
      size: 60,
      seed: 7,
      concurrency: 5,
      failOnce: ['00-001-03', '00-001-20'],
      failAlways: ['00-001-11'],
    });
    expect(record.results.some((result) => result.attemptRecords.length === 2)).toBe(true);
    expect(record.totals.skipped).toBeGreaterThan(0);
    expectEveryAttemptOnceAndSlotsApart(record);
  });

  it('keeps cancelled attempts (ended when the run ended) and big runs apart too', async () => {
    const cancelled = await simulatedRun({ size: 40, seed: 3, concurrency: 3, cancelAfterMs: 1500 });
    expect(cancelled.outcome).toBe('cancelled');
    expect(cancelled.results.some((result) => result.attemptRecords.some((attempt) => attempt.outcome === 'cancelled'))).toBe(true);
    expectEveryAttemptOnceAndSlotsApart(cancelled);
    expectEveryAttemptOnceAndSlotsApart(
      await simulatedRun({ size: 500, seed: 11, concurrency: 16, failOnce: ['00-001-100', '00-001-250'] }),
    );
  });

  it('puts breaker-open periods on their own track and run facts in otherData', async () => {
    const record = await simulatedRun({
      size: 30,
      seed: 5,
      concurrency: 2,
      failAlways: ['00-001-02', '00-001-04', '00-001-06'],
      breaker: { threshold: 2, window: 3, halfOpenAfterMs: 1000 },
    });
    const trace = renderTrace(record);
    const open = trace.traceEvents.filter((event) => event.cat === 'breaker');
    expect(record.breakerChanges.some((change) => change.to === 'open')).toBe(true);
    expect(open.length).toBeGreaterThan(0);
    for (const event of open) expect(event.tid).toBe(0);
    expect(trace.otherData).toMatchObject({ featureId: 'F001', runId: record.runId, concurrency: 2 });
    expectEveryAttemptOnceAndSlotsApart(record);
  });
});
