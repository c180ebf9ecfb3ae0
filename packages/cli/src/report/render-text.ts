import { join } from 'node:path';
import type { RunReport, WorkstreamResult } from '@sdp/dispatcher';
import { formatDuration } from '../reporter.js';
import { formatSummary } from '../summary.js';
import type { ErrorRecord, StoredRunRecord } from './run-record.js';

/** The summary `run` printed when this run stopped, under one line saying which run and when. */
export function renderText(record: StoredRunRecord): string {
  const header = `Run ${record.runId}: started ${new Date(record.startedAt).toISOString()}, took ${formatDuration(record.endedAt - record.startedAt)}, concurrency ${record.concurrency}`;
  const resumeCommand = record.resumeCommand ?? `sdp-dispatch run <dir> --feature ${record.featureId} --exec '<command>'`;
  return `${header}\n${formatSummary(reportOf(record), { resumeCommand, logFile: (id) => join(record.logDir, `${id}.log`) })}`;
}

/** The report the summary reads, rebuilt from the record (errors become plain errors with name and message). */
function reportOf(record: StoredRunRecord): RunReport {
  const results = record.results.map((result): WorkstreamResult => {
    const { error, blockedBy, startedAt, durationMs } = result;
    return {
      id: result.id,
      status: result.status,
      attempts: result.attempts,
      alreadyCompleted: result.alreadyCompleted,
      rerunAfterCrash: result.rerunAfterCrash,
      attemptRecords: result.attemptRecords,
      ...(error === undefined ? {} : { error: errorOf(error) }),
      ...(blockedBy === undefined ? {} : { blockedBy }),
      ...(startedAt === undefined ? {} : { startedAt: new Date(startedAt) }),
      ...(durationMs === undefined ? {} : { durationMs }),
    };
  });
  return {
    featureId: record.featureId,
    outcome: record.outcome,
    results,
    totals: record.totals,
    resumed: record.resumed,
    ...(record.graphChanges === undefined ? {} : { graphChanges: record.graphChanges }),
    makespanMs: record.makespanMs,
    lowerBoundMs: record.lowerBoundMs,
    startedAt: record.startedAt,
    endedAt: record.endedAt,
    concurrency: record.concurrency,
    graphFingerprint: record.graphFingerprint,
    criticalPath: record.criticalPath,
    breakerChanges: record.breakerChanges,
    inDoubt: record.inDoubt,
    abandoned: [],
    ...(record.checkpoint === undefined ? {} : { checkpoint: record.checkpoint }),
    checkpointErrors: record.checkpointErrors.map(errorOf),
  };
}

function errorOf(record: ErrorRecord): Error {
  const error = new Error(record.message);
  error.name = record.name;
  return error;
}
