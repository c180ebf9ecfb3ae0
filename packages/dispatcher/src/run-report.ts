import type { CircuitState } from '@sdp/circuit-breaker';
import type { ErrorRecord } from '@sdp/internal';
import type { DependencyGraph, ReadySet } from '@sdp/graph';
import type { AttemptHandle } from './attempt-handle.js';
import type { AbandonEvent, InDoubtResult } from './events.js';
import { recorded, type WorkstreamTable } from './workstream-table.js';

/** How a workstream ended in one run. */
export type WorkstreamStatus = 'completed' | 'failed' | 'skipped' | 'cancelled' | 'not-run';

/**
 * How one attempt ended. `'abandoned'`: aborted (timed out, cancelled, lock lost) and not settled within
 * `graceMs`; its slot was given up while its executor may still run.
 */
export type AttemptOutcome = 'completed' | 'failed' | 'timed-out' | 'cancelled' | 'abandoned';

export type { ErrorRecord } from '@sdp/internal';

export interface AttemptRecord {
  /** 1-based within this run. */
  readonly attempt: number;
  /** Epoch ms, from the injected clock. */
  readonly startedAt: number;
  /** Epoch ms; for `'abandoned'`, the moment it was given up. */
  readonly endedAt: number;
  readonly outcome: AttemptOutcome;
  readonly error?: ErrorRecord;
  /** What the executor recorded with `context.setHandle` (the last one it set). */
  readonly handle?: AttemptHandle;
}

export interface WorkstreamResult {
  readonly id: string;
  readonly status: WorkstreamStatus;
  /** The last attempt's error, for `failed` and `cancelled`. */
  readonly error?: unknown;
  /** For `skipped`: the failed workstream that blocked this one. */
  readonly blockedBy?: string;
  /** Attempts made in this run (0 when it did not start). */
  readonly attempts: number;
  /** Every attempt of this run, in order. */
  readonly attemptRecords: readonly AttemptRecord[];
  /** When its first attempt in this run started. */
  readonly startedAt?: Date;
  /** Wall time of its last attempt in this run that measured the work (a cancelled one does not), in ms. */
  readonly durationMs?: number;
  /** Completed before this run (in the checkpoint, or given as already completed): not executed again. */
  readonly alreadyCompleted: boolean;
  /** It was running when an earlier process died, so it ran again in this run (at-least-once). */
  readonly rerunAfterCrash: boolean;
}

/** Why the run ended. */
export type RunOutcome =
  | 'completed' // every workstream completed
  | 'failed' // every workstream that could run ran; some failed (and their dependents were skipped)
  | 'cancelled' // the signal aborted the run
  | 'breaker-open' // onBreakerOpen 'stop' ended the run
  | 'checkpoint-error' // stopOnCheckpointError ended the run
  | 'lock-lost'; // another process took the checkpoint's lock over: this run stopped

export interface GraphChanges {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** In both graphs with a different set of dependencies. */
  readonly changed: readonly string[];
  /** Completed in the checkpoint but run again because they or a dependency changed. */
  readonly invalidated: readonly string[];
}

export type RunTotals = Readonly<Record<WorkstreamStatus, number>>;

/** A state change of the breaker during the run (epoch ms). */
export interface BreakerChange {
  readonly from: CircuitState;
  readonly to: CircuitState;
  readonly at: number;
}

export interface RunReport {
  readonly featureId: string;
  readonly outcome: RunOutcome;
  /** One entry per workstream, in the graph's insertion order. */
  readonly results: readonly WorkstreamResult[];
  readonly totals: RunTotals;
  /** A checkpoint was found and resumed from. */
  readonly resumed: boolean;
  /** Present when the graph changed since the checkpoint was written. */
  readonly graphChanges?: GraphChanges;
  /** Epoch ms of `run()`'s start and end. */
  readonly startedAt: number;
  readonly endedAt: number;
  readonly concurrency: number;
  /** `@sdp/graph`'s fingerprint of the graph run. */
  readonly graphFingerprint: string;
  /** Wall time of this run, from the first start to the last settlement, in ms. */
  readonly makespanMs: number;
  /** `max(critical path, total work / concurrency)` from the durations measured in this run. */
  readonly lowerBoundMs: number;
  /** The ids on the critical path by the durations measured in this run (empty when nothing ran). */
  readonly criticalPath: readonly string[];
  readonly breakerChanges: readonly BreakerChange[];
  /** Workstreams an earlier process recorded as running with a handle, and what `endInDoubt` said. */
  readonly inDoubt: readonly InDoubtResult[];
  /** Attempts given up after `graceMs` while their executor may still run. */
  readonly abandoned: readonly AbandonEvent[];
  /** With `outcome: 'lock-lost'`: why the store knows the lock is no longer its own. */
  readonly lockLost?: { readonly reason: string };
  /** The checkpoint file, when checkpointing is on; `kept` is false once it was deleted after full success. */
  readonly checkpoint?: { readonly path: string; readonly kept: boolean };
  /** Saves that failed during the run (the last good checkpoint stayed in place). */
  readonly checkpointErrors: readonly unknown[];
}

export function countByStatus(results: readonly WorkstreamResult[]): RunTotals {
  const totals: Record<WorkstreamStatus, number> = { completed: 0, failed: 0, skipped: 0, cancelled: 0, 'not-run': 0 };
  for (const result of results) totals[result.status] += 1;
  return totals;
}

/** What the report of one run is computed from. */
export interface ReportInputs {
  readonly graph: DependencyGraph;
  readonly ready: ReadySet;
  readonly table: WorkstreamTable;
  readonly blockedBy: ReadonlyMap<string, string>;
  /** Completed before this run: never executed. */
  readonly alreadyCompleted: ReadonlySet<string>;
  /** Running when an earlier process died. */
  readonly interrupted: ReadonlySet<string>;
  readonly concurrency: number;
}

/** One result per workstream, in the graph's insertion order. */
export function resultsOf(inputs: ReportInputs): WorkstreamResult[] {
  const { graph, ready, table, blockedBy, alreadyCompleted, interrupted } = inputs;
  // Lookups in sets and maps that are empty in most runs are skipped: this runs once per workstream.
  const anyAlreadyCompleted = alreadyCompleted.size > 0;
  const anyInterrupted = interrupted.size > 0;
  const anyBlocked = blockedBy.size > 0;
  const ids = graph.ids();
  // The run covers the graph as it was when it started (its table's size): nodes added since are not part of it.
  return Array.from({ length: table.size }, (_, node) => {
    const id = ids[node] ?? '';
    const status = statusOf(ready, id);
    const startedAt = recorded(table.startedAt, node);
    const durationMs = recorded(table.durationMs, node);
    const attempts = table.attempts[node] ?? 0;
    const attemptRecords = table.recordsOf(node);
    const alreadyCompletedHere = anyAlreadyCompleted && alreadyCompleted.has(id);
    const rerunAfterCrash = anyInterrupted && startedAt !== undefined && interrupted.has(id);
    const result: Mutable<WorkstreamResult> = {
      id,
      status,
      attempts,
      attemptRecords,
      alreadyCompleted: alreadyCompletedHere,
      rerunAfterCrash,
    };
    if (startedAt !== undefined) result.startedAt = new Date(startedAt);
    if (durationMs !== undefined) result.durationMs = durationMs;
    const blocker = anyBlocked ? blockedBy.get(id) : undefined;
    if (blocker !== undefined) result.blockedBy = blocker;
    if (status === 'failed' || status === 'cancelled') {
      const error = table.errors.get(node);
      if (error !== undefined) result.error = error;
    }
    return result;
  });
}

function statusOf(ready: ReadySet, id: string): WorkstreamStatus {
  switch (ready.status(id)) {
    case 'completed':
      return 'completed';
    case 'failed':
      return 'failed';
    case 'skipped':
      return 'skipped';
    case 'running':
      return 'cancelled';
    case 'ready':
    case 'pending':
      return 'not-run';
  }
}

/** The critical path by the work measured in this run, and `max(its length, total work / concurrency)`. */
export function criticalPathOf(inputs: ReportInputs): { path: readonly string[]; lowerBoundMs: number } {
  const { graph, table, concurrency } = inputs;
  const { workMs } = table;
  let total = 0;
  for (const ms of workMs) total += ms;
  if (total === 0) return { path: [], lowerBoundMs: 0 };
  const workOf = (id: string): number => workMs[graph.indexOf(id)] ?? 0;
  const { path, length } = graph.criticalPath(workOf);
  return { path: path.filter((id) => workOf(id) > 0), lowerBoundMs: Math.max(length, total / concurrency) };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
