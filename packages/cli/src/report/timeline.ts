import type { AttemptRecord, StoredRunRecord, WorkstreamRecord } from './run-record.js';

/** One workstream's row of a run's timeline, times in epoch ms. */
export interface TimelineRow {
  readonly result: WorkstreamRecord;
  readonly critical: boolean;
  /** When its last dependency completed in this run (the run's start when none ran in it); only for started ones. */
  readonly readyAt?: number;
}

export interface Timeline {
  readonly start: number;
  readonly end: number;
  readonly rows: readonly TimelineRow[];
  /** Periods the circuit breaker was open (nothing new could start). */
  readonly breakerOpen: readonly { readonly from: number; readonly to: number }[];
  /** Axis ticks, in ms from `start`. */
  readonly ticks: readonly number[];
}

const tickSteps = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000,
  3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000,
];

/** What the html report draws, computed from a record alone. */
export function timelineOf(record: StoredRunRecord): Timeline {
  const start = record.startedAt;
  let end = Math.max(record.endedAt, start);
  for (const result of record.results) for (const attempt of result.attemptRecords) end = Math.max(end, attempt.endedAt);
  const completedAt = new Map<string, number>();
  for (const result of record.results) {
    const last = lastCompleted(result.attemptRecords);
    if (last !== undefined) completedAt.set(result.id, last.endedAt);
  }
  const critical = new Set(record.criticalPath);
  const rows = record.results.map((result): TimelineRow => {
    const first = result.attemptRecords[0];
    if (first === undefined) return { result, critical: critical.has(result.id) };
    let readyAt = start;
    for (const dependency of record.dependsOn[result.id] ?? []) readyAt = Math.max(readyAt, completedAt.get(dependency) ?? start);
    return { result, critical: critical.has(result.id), readyAt: Math.min(readyAt, first.startedAt) };
  });
  return { start, end, rows, breakerOpen: breakerOpenPeriods(record, end), ticks: ticksOf(end - start) };
}

function lastCompleted(attempts: readonly AttemptRecord[]): AttemptRecord | undefined {
  return attempts.findLast((attempt) => attempt.outcome === 'completed');
}

/** Open periods from the breaker's changes; one still open at the end lasts to the end. */
export function breakerOpenPeriods(record: Pick<StoredRunRecord, 'breakerChanges'>, end: number): { from: number; to: number }[] {
  const periods: { from: number; to: number }[] = [];
  let openedAt: number | undefined;
  for (const change of record.breakerChanges) {
    if (change.to === 'open') openedAt ??= change.at;
    else if (openedAt !== undefined) {
      periods.push({ from: openedAt, to: change.at });
      openedAt = undefined;
    }
  }
  if (openedAt !== undefined) periods.push({ from: openedAt, to: Math.max(openedAt, end) });
  return periods;
}

/** Round ticks, at most about ten over `spanMs`. */
export function ticksOf(spanMs: number): number[] {
  const step = tickSteps.find((candidate) => spanMs / candidate <= 10) ?? Math.ceil(spanMs / 10);
  const ticks: number[] = [];
  for (let at = 0; at <= spanMs; at += step) ticks.push(at);
  return ticks;
}
