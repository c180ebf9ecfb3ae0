import { breakerOpenPeriods } from './timeline.js';
import type { AttemptRecord, StoredRunRecord } from './run-record.js';

/** One event of the Chrome Trace Event format (what Perfetto and chrome://tracing open). */
export interface TraceEvent {
  readonly name: string;
  readonly ph: 'X' | 'M';
  readonly pid: number;
  readonly tid: number;
  /** Microseconds from the run's start. */
  readonly ts?: number;
  readonly dur?: number;
  readonly cat?: string;
  readonly args: Readonly<Record<string, unknown>>;
}

export interface Trace {
  readonly traceEvents: readonly TraceEvent[];
  readonly displayTimeUnit: 'ms';
  readonly otherData: Readonly<Record<string, string | number>>;
}

const pid = 1;
/** The breaker's own track, above the slots (which are numbered from 1). */
const breakerTid = 0;

/**
 * The run as a Chrome trace: one track (tid) per concurrency slot, one complete event ("ph":"X") per
 * attempt with the workstream id and attempt number in its args, and breaker-open periods on track 0.
 * Attempts go to the lowest slot free at their start, so events of one track never overlap.
 */
export function renderTrace(record: StoredRunRecord): Trace {
  const us = (ms: number) => Math.round((ms - record.startedAt) * 1000);
  const attempts = record.results
    .flatMap((result) => result.attemptRecords.map((attempt) => ({ id: result.id, attempt })))
    .sort((a, b) => a.attempt.startedAt - b.attempt.startedAt || a.attempt.endedAt - b.attempt.endedAt);
  const slotEnds: number[] = [];
  const events: TraceEvent[] = [];
  for (const { id, attempt } of attempts) {
    let slot = slotEnds.findIndex((end) => end <= attempt.startedAt);
    if (slot === -1) slot = slotEnds.push(attempt.endedAt) - 1;
    else slotEnds[slot] = attempt.endedAt;
    events.push({
      name: id,
      cat: attempt.outcome,
      ph: 'X',
      pid,
      tid: slot + 1,
      ts: us(attempt.startedAt),
      dur: Math.max(0, us(attempt.endedAt) - us(attempt.startedAt)),
      args: argsOf(id, attempt),
    });
  }
  const metadata: TraceEvent[] = [
    { name: 'process_name', ph: 'M', pid, tid: breakerTid, args: { name: `${record.featureId} run ${record.runId}` } },
    { name: 'thread_name', ph: 'M', pid, tid: breakerTid, args: { name: 'circuit breaker' } },
    ...slotEnds.map((_, slot): TraceEvent => ({ name: 'thread_name', ph: 'M', pid, tid: slot + 1, args: { name: `slot ${slot + 1}` } })),
  ];
  const breaker = breakerOpenPeriods(record, record.endedAt).map(({ from, to }): TraceEvent => ({
    name: 'breaker open',
    cat: 'breaker',
    ph: 'X',
    pid,
    tid: breakerTid,
    ts: us(from),
    dur: Math.max(0, us(to) - us(from)),
    args: {},
  }));
  return {
    traceEvents: [...metadata, ...breaker, ...events],
    displayTimeUnit: 'ms',
    otherData: {
      featureId: record.featureId,
      runId: record.runId,
      outcome: record.outcome,
      startedAt: new Date(record.startedAt).toISOString(),
      concurrency: record.concurrency,
      makespanMs: record.makespanMs,
      lowerBoundMs: record.lowerBoundMs,
    },
  };
}

function argsOf(id: string, attempt: AttemptRecord): Record<string, unknown> {
  return {
    workstream: id,
    attempt: attempt.attempt,
    outcome: attempt.outcome,
    ...(attempt.error === undefined ? {} : { error: attempt.error.message }),
    ...(attempt.error?.exitCode === undefined ? {} : { exitCode: attempt.error.exitCode }),
  };
}
