import type { AttemptRecord, ErrorRecord, GraphChanges, RunReport, WorkstreamStatus } from './run-report.js';
import { errorRecordOf } from '@sdp/internal';

/** The version of {@link RunRecord}'s shape; a reader refuses a record of a version it does not know. */
export const RUN_RECORD_VERSION = 1;

/** One workstream of a {@link RunRecord}: its {@link WorkstreamResult} as JSON (times as epoch ms). */
export interface WorkstreamRecord {
  readonly id: string;
  readonly status: WorkstreamStatus;
  readonly error?: ErrorRecord;
  readonly blockedBy?: string;
  readonly attempts: number;
  readonly attemptRecords: readonly AttemptRecord[];
  /** Epoch ms of its first attempt in the run. */
  readonly startedAt?: number;
  readonly durationMs?: number;
  readonly alreadyCompleted: boolean;
  readonly rerunAfterCrash: boolean;
}

/**
 * A {@link RunReport} in a JSON-safe, versioned form a library user can persist (no `Date`, no unknown
 * errors): `JSON.parse(JSON.stringify(record))` equals the record. Every other field is the report's.
 */
export interface RunRecord extends Omit<RunReport, 'results' | 'checkpointErrors'> {
  readonly version: typeof RUN_RECORD_VERSION;
  readonly runId: string;
  readonly results: readonly WorkstreamRecord[];
  readonly checkpointErrors: readonly ErrorRecord[];
}

/** The report as a {@link RunRecord} named `runId` (e.g. a timestamp and a random suffix, chosen by the caller). */
export function toRunRecord(report: RunReport, runId: string): RunRecord {
  if (typeof runId !== 'string' || runId === '') throw new TypeError('toRunRecord: runId must be a non-empty string');
  return {
    version: RUN_RECORD_VERSION,
    runId,
    featureId: report.featureId,
    outcome: report.outcome,
    startedAt: report.startedAt,
    endedAt: report.endedAt,
    concurrency: report.concurrency,
    graphFingerprint: report.graphFingerprint,
    resumed: report.resumed,
    ...(report.graphChanges === undefined ? {} : { graphChanges: copyChanges(report.graphChanges) }),
    results: report.results.map((result): WorkstreamRecord => {
      const record: { -readonly [K in keyof WorkstreamRecord]: WorkstreamRecord[K] } = {
        id: result.id,
        status: result.status,
        attempts: result.attempts,
        attemptRecords: result.attemptRecords.map(copyAttempt),
        alreadyCompleted: result.alreadyCompleted,
        rerunAfterCrash: result.rerunAfterCrash,
      };
      if (result.error !== undefined) record.error = errorRecordOf(result.error);
      if (result.blockedBy !== undefined) record.blockedBy = result.blockedBy;
      if (result.startedAt !== undefined) record.startedAt = result.startedAt.getTime();
      if (result.durationMs !== undefined) record.durationMs = result.durationMs;
      return record;
    }),
    totals: { ...report.totals },
    makespanMs: report.makespanMs,
    lowerBoundMs: report.lowerBoundMs,
    criticalPath: [...report.criticalPath],
    breakerChanges: report.breakerChanges.map(({ from, to, at }) => ({ from, to, at })),
    inDoubt: report.inDoubt.map(({ id, handle, outcome, error }) =>
      error === undefined ? { id, handle: { ...handle }, outcome } : { id, handle: { ...handle }, outcome, error },
    ),
    abandoned: report.abandoned.map(({ id, attempt, abandonedAt, handle }) =>
      handle === undefined ? { id, attempt, abandonedAt } : { id, attempt, abandonedAt, handle: { ...handle } },
    ),
    ...(report.lockLost === undefined ? {} : { lockLost: { reason: report.lockLost.reason } }),
    ...(report.checkpoint === undefined ? {} : { checkpoint: { ...report.checkpoint } }),
    checkpointErrors: report.checkpointErrors.map(errorRecordOf),
  };
}

function copyAttempt(attempt: AttemptRecord): AttemptRecord {
  const { error, handle, ...times } = attempt;
  return {
    ...times,
    ...(error === undefined ? {} : { error: { ...error } }),
    ...(handle === undefined ? {} : { handle: { ...handle } }),
  };
}

function copyChanges(changes: GraphChanges): GraphChanges {
  return { added: [...changes.added], removed: [...changes.removed], changed: [...changes.changed], invalidated: [...changes.invalidated] };
}
