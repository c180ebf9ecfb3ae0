import type { AttemptHandle, BreakerChange, ErrorRecord, GraphChanges, RunOutcome, RunTotals, WorkstreamRecord } from '@sdp/dispatcher';

// The record's parts are the dispatcher's (`toRunRecord` makes the same JSON); the CLI's stored record
// below adds what only the command knows.
export type { AttemptHandle, AttemptOutcome, AttemptRecord, BreakerChange, ErrorRecord, WorkstreamRecord } from '@sdp/dispatcher';

export interface InDoubtRecord {
  readonly id: string;
  readonly handle: AttemptHandle;
  readonly outcome: 'ended' | 'gone' | 'error';
  readonly error?: string;
}

/** How a run ended. */
export type RecordedOutcome = RunOutcome;

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
