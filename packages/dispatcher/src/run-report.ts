/** How a workstream ended in one run. */
export type WorkstreamStatus = 'completed' | 'failed' | 'skipped' | 'cancelled' | 'not-run';

export interface WorkstreamResult {
  readonly id: string;
  readonly status: WorkstreamStatus;
  /** The last attempt's error, for `failed` and `cancelled`. */
  readonly error?: unknown;
  /** For `skipped`: the failed workstream that blocked this one. */
  readonly blockedBy?: string;
  /** Attempts made in this run (0 when it did not start). */
  readonly attempts: number;
  /** When its first attempt in this run started. */
  readonly startedAt?: Date;
  /** Wall time of its last attempt in this run, in ms. */
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
  | 'checkpoint-error'; // stopOnCheckpointError ended the run

export interface GraphChanges {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** In both graphs with a different set of dependencies. */
  readonly changed: readonly string[];
  /** Completed in the checkpoint but run again because they or a dependency changed. */
  readonly invalidated: readonly string[];
}

export type RunTotals = Readonly<Record<WorkstreamStatus, number>>;

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
  /** Wall time of this run, from the first start to the last settlement, in ms. */
  readonly makespanMs: number;
  /** `max(critical path, total work / concurrency)` from the durations measured in this run. */
  readonly lowerBoundMs: number;
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
