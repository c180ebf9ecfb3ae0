import { isAttemptTimeoutError, type Dispatcher, type RunReport } from '@sdp/dispatcher';
import type { DependencyGraph } from '@sdp/graph';
import { errorRecordOf } from '@sdp/internal';
import { type AttemptOutcome, type AttemptRecord, type BreakerChange, type StoredRunRecord, type WorkstreamRecord } from './run-record.js';

export interface RecordContext {
  readonly runId: string;
  readonly graph: DependencyGraph;
  readonly concurrency: number;
  /** Epoch ms of run() start and end. */
  readonly startedAt: number;
  readonly endedAt: number;
  readonly logDir: string;
  readonly resumeCommand?: string;
}

interface OpenAttempt {
  readonly attempt: number;
  readonly startedAt: number;
}

/**
 * Builds a run's record from the dispatcher's events (every attempt's start, end and outcome; breaker
 * changes) and its final report.
 * INTEGRATOR: once @sdp/dispatcher's report carries `attemptRecords`, `breakerChanges`, `criticalPath`
 * and `toRunRecord` (INTERFACES.md section 1), build the record with `toRunRecord(report, runId)` and
 * add only `dependsOn` and `logDir`; this event listening then goes.
 */
export class RunRecorder {
  readonly #attempts = new Map<string, AttemptRecord[]>();
  readonly #open = new Map<string, OpenAttempt>();
  readonly #breakerChanges: BreakerChange[] = [];

  /** Listens to the run's events; returns the disposer. */
  attach(dispatcher: Dispatcher): () => void {
    const disposers = [
      dispatcher.onStart(({ id, attempt, startedAt }) => {
        this.#open.set(id, { attempt, startedAt: startedAt.getTime() });
      }),
      dispatcher.onComplete(({ id, durationMs }) => {
        this.#close(id, durationMs, 'completed');
      }),
      dispatcher.onFailure(({ id, durationMs, error }) => {
        this.#close(id, durationMs, isAttemptTimeoutError(error) ? 'timed-out' : 'failed', error);
      }),
      dispatcher.onBreakerStateChange(({ from, to, at }) => {
        this.#breakerChanges.push({ from, to, at });
      }),
    ];
    return () => {
      for (const dispose of disposers) dispose();
    };
  }

  #close(id: string, durationMs: number, outcome: AttemptOutcome, error?: unknown): void {
    const open = this.#open.get(id);
    if (open === undefined) return;
    this.#open.delete(id);
    const record: AttemptRecord = {
      attempt: open.attempt,
      startedAt: open.startedAt,
      endedAt: open.startedAt + durationMs,
      outcome,
      ...(error === undefined ? {} : { error: errorRecordOf(error) }),
    };
    const list = this.#attempts.get(id);
    if (list === undefined) this.#attempts.set(id, [record]);
    else list.push(record);
  }

  /** The record of a finished run. Attempts still open when it ended were cancelled (or abandoned). */
  record(report: RunReport, context: RecordContext): StoredRunRecord {
    const { graph } = context;
    const results = report.results.map((result): WorkstreamRecord => {
      const attemptRecords = [...(this.#attempts.get(result.id) ?? [])];
      const open = this.#open.get(result.id);
      if (open !== undefined) {
        attemptRecords.push({
          attempt: open.attempt,
          startedAt: open.startedAt,
          endedAt: context.endedAt,
          outcome: result.status === 'cancelled' ? 'cancelled' : 'abandoned',
          ...(result.error === undefined ? {} : { error: errorRecordOf(result.error) }),
        });
      }
      return {
        id: result.id,
        status: result.status,
        ...(result.error === undefined ? {} : { error: errorRecordOf(result.error) }),
        ...(result.blockedBy === undefined ? {} : { blockedBy: result.blockedBy }),
        attempts: result.attempts,
        attemptRecords,
        ...(result.startedAt === undefined ? {} : { startedAt: result.startedAt.getTime() }),
        ...(result.durationMs === undefined ? {} : { durationMs: result.durationMs }),
        alreadyCompleted: result.alreadyCompleted,
        rerunAfterCrash: result.rerunAfterCrash,
      };
    });
    const work = new Map(results.map((result) => [result.id, workMsOf(result.attemptRecords)]));
    const dependsOn: Record<string, readonly string[]> = {};
    for (const id of graph.ids()) dependsOn[id] = graph.dependenciesOf(id);
    return {
      version: 1,
      runId: context.runId,
      featureId: report.featureId,
      outcome: report.outcome,
      startedAt: context.startedAt,
      endedAt: context.endedAt,
      concurrency: context.concurrency,
      graphFingerprint: graph.fingerprint(),
      results,
      totals: report.totals,
      resumed: report.resumed,
      ...(report.graphChanges === undefined ? {} : { graphChanges: report.graphChanges }),
      makespanMs: report.makespanMs,
      lowerBoundMs: report.lowerBoundMs,
      // Workstreams that did no work in this run (completed before it, skipped) are not on its path.
      criticalPath: graph.criticalPath((id) => work.get(id) ?? 0).path.filter((id) => (work.get(id) ?? 0) > 0),
      breakerChanges: [...this.#breakerChanges],
      inDoubt: [],
      ...(report.checkpoint === undefined ? {} : { checkpoint: report.checkpoint }),
      checkpointErrors: report.checkpointErrors.map(errorRecordOf),
      dependsOn,
      logDir: context.logDir,
      ...(context.resumeCommand === undefined ? {} : { resumeCommand: context.resumeCommand }),
    };
  }
}

/** Time spent in attempts that ended on their own (a cancelled attempt's time is not a measurement). */
export function workMsOf(attempts: readonly AttemptRecord[]): number {
  let total = 0;
  for (const attempt of attempts)
    if (attempt.outcome !== 'cancelled' && attempt.outcome !== 'abandoned') total += attempt.endedAt - attempt.startedAt;
  return total;
}
