import type { CircuitState } from '@sdp/circuit-breaker';
import type { GraphChanges, RunOutcome, RunTotals, WorkstreamStatus } from '@sdp/dispatcher';

// INTEGRATOR: the types down to `RunRecord` mirror INTERFACES.md section 1 (owned by @sdp/dispatcher)
// as JSON. Once the dispatcher exports `RunRecord` and `toRunRecord`, import them from
// @sdp/dispatcher instead and delete this local copy; `StoredRunRecord` (the CLI's additions) stays.

export type AttemptOutcome = 'completed' | 'failed' | 'timed-out' | 'cancelled' | 'abandoned';

/** Flat and JSON-safe: what an executor recorded to find what its attempt started (pgid, host, log path). */
export type AttemptHandle = Readonly<Record<string, string | number | boolean>>;

export interface ErrorRecord {
  readonly name: string;
  readonly message: string;
  /** Copied from the error when it is a number (a command's exit code). */
  readonly exitCode?: number;
}

export interface AttemptRecord {
  /** 1-based within this run. */
  readonly attempt: number;
  /** Epoch ms. */
  readonly startedAt: number;
  /** Epoch ms; for `abandoned` the moment it was given up. */
  readonly endedAt: number;
  readonly outcome: AttemptOutcome;
  readonly error?: ErrorRecord;
  readonly handle?: AttemptHandle;
}

export interface WorkstreamRecord {
  readonly id: string;
  readonly status: WorkstreamStatus;
  readonly error?: ErrorRecord;
  /** For `skipped`: the failed workstream that blocked this one. */
  readonly blockedBy?: string;
  readonly attempts: number;
  /** Every attempt of this run, in order. */
  readonly attemptRecords: readonly AttemptRecord[];
  /** Epoch ms of its first attempt in this run. */
  readonly startedAt?: number;
  readonly durationMs?: number;
  readonly alreadyCompleted: boolean;
  readonly rerunAfterCrash: boolean;
}

export interface BreakerChange {
  readonly from: CircuitState;
  readonly to: CircuitState;
  /** Epoch ms. */
  readonly at: number;
}

export interface InDoubtRecord {
  readonly id: string;
  readonly handle: AttemptHandle;
  readonly outcome: 'ended' | 'gone' | 'error';
  readonly error?: string;
}

/** How a run ended; `lock-lost` arrives with INTERFACES.md section 3. */
export type RecordedOutcome = RunOutcome | 'lock-lost';

/** A run's final report, JSON-safe and versioned (no Date, no unknown errors). */
export interface RunRecord {
  readonly version: 1;
  readonly runId: string;
  readonly featureId: string;
  readonly outcome: RecordedOutcome;
  /** Epoch ms of run() start and end. */
  readonly startedAt: number;
  readonly endedAt: number;
  readonly concurrency: number;
  readonly graphFingerprint: string;
  /** One entry per workstream, in the graph's insertion order. */
  readonly results: readonly WorkstreamRecord[];
  readonly totals: RunTotals;
  readonly resumed: boolean;
  readonly graphChanges?: GraphChanges;
  readonly makespanMs: number;
  readonly lowerBoundMs: number;
  /** Ids on the critical path by the durations measured in this run. */
  readonly criticalPath: readonly string[];
  readonly breakerChanges: readonly BreakerChange[];
  readonly inDoubt: readonly InDoubtRecord[];
  readonly checkpoint?: { readonly path: string; readonly kept: boolean };
  readonly checkpointErrors: readonly ErrorRecord[];
}

/** What `sdp-dispatch` stores in `.sdp/runs/<feature>/<run-id>.json`: the record plus what the CLI knows. */
export interface StoredRunRecord extends RunRecord {
  /** Each workstream's dependencies in this run's graph: what a later run compares, what the timeline's waits are. */
  readonly dependsOn: Readonly<Record<string, readonly string[]>>;
  /** Folder of the workstreams' logs (`<id>.log`). */
  readonly logDir: string;
  /** The command that resumes this run (when it did not complete). */
  readonly resumeCommand?: string;
}

/** An error as JSON: name, message, and the exit code when the error carries a numeric one. */
export function errorRecordOf(error: unknown): ErrorRecord {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const { exitCode } = error as { exitCode?: unknown };
  return typeof exitCode === 'number'
    ? { name: error.name, message: error.message, exitCode }
    : { name: error.name, message: error.message };
}
