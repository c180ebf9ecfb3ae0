/** The format version this package reads and writes. */
export const CHECKPOINT_VERSION = '1.0';

/** One node of a {@link GraphSnapshotJson}, as `@sdp/graph` snapshots it (the seed's `NodeSnapshot`). */
export interface GraphNodeJson {
  id: string;
  depends_on: string[];
  /** Dependencies not completed yet. */
  indegree: number;
  completed: boolean;
}

/** The seed's `graph` JSON: nodes with their dependencies, and `edges` from each id to its dependents. */
export interface GraphSnapshotJson {
  nodes: GraphNodeJson[];
  edges: Record<string, string[]>;
}

/**
 * The seed's `circuit_breaker` JSON: state 0 closed, 1 open, 2 half-open; times as RFC 3339 strings,
 * Go's zero time `0001-01-01T00:00:00Z` meaning never. Extra keys (an exact restore's window, say) are kept.
 */
export interface CircuitBreakerSnapshotJson {
  state: 0 | 1 | 2;
  failure_count: number;
  success_count: number;
  consecutive_opens: number;
  last_failure_time: string;
  last_state_change?: string;
  [extra: string]: unknown;
}

/**
 * How to find what one running attempt started, as its executor recorded it: a flat object of JSON scalars
 * (`{ "pgid": 4242, "host": "build-1", "logPath": "..." }`). Numbers are finite.
 */
export type AttemptHandleJson = Record<string, string | number | boolean>;

/**
 * A checkpoint in the seed's format (version "1.0"): exactly its seven keys, plus the documented optional
 * extras written by `@sdp/dispatcher` (validated when present) and any other JSON keys (kept as they are).
 */
export interface Checkpoint {
  version: '1.0';
  feature_id: string;
  /** RFC 3339 time of the checkpoint; ours are ISO-8601 UTC, Go's may carry nanoseconds or an offset. */
  timestamp: string;
  completed: string[];
  failed: string[];
  graph: GraphSnapshotJson | null;
  circuit_breaker: CircuitBreakerSnapshotJson | null;
  /** `@sdp/graph`'s fingerprint of the graph this checkpoint was taken from. */
  graph_fingerprint?: string;
  /** Workstreams in flight at save time (run again on resume: at-least-once). */
  running?: string[];
  /** Skipped id -> the failed id that blocked it. */
  skipped?: Record<string, string>;
  /** Id -> executions so far. */
  attempts?: Record<string, number>;
  /** Id -> duration of its last execution in ms. */
  durations_ms?: Record<string, number>;
  /** Id -> the handle of its running attempt (what the executor started: pgid, host, log path...). */
  attempt_handles?: Record<string, AttemptHandleJson>;
  [extra: string]: unknown;
}

/**
 * Changes to the current checkpoint, recorded by `CheckpointStore.update`: what a dispatcher reports as
 * workstreams finish, without rewriting the whole checkpoint. Every field but `timestamp` is optional.
 */
export interface CheckpointUpdate {
  /** RFC 3339; becomes the checkpoint's `timestamp`. */
  timestamp: string;
  /**
   * Appended to `completed` (ids already there are ignored). Each one is also marked `completed: true` in
   * `graph.nodes` (when the graph has that node and it was not completed yet), and the `indegree` of each of
   * its dependents (`graph.edges[id]`) drops by one: what `@sdp/graph`'s `snapshot(completed)` would show.
   */
  completed?: string[];
  /**
   * Appended to `failed` (ids already there are ignored). An id that completes later leaves `failed`: a failure
   * stays recorded until it is retried successfully.
   */
  failed?: string[];
  /** Replaces `running`. */
  running?: string[];
  /** Merged into `skipped` (entries set; the key is created when absent). */
  skipped?: Record<string, string>;
  /** Merged into `attempts` (entries set; the key is created when absent). */
  attempts?: Record<string, number>;
  /** Merged into `durations_ms` (entries set; the key is created when absent). */
  durations_ms?: Record<string, number>;
  /** Replaces `circuit_breaker`. */
  circuit_breaker?: CircuitBreakerSnapshotJson | null;
  /**
   * Sets the handle of each id's running attempt; `null` removes it (the attempt ended). Ids must be nodes of the
   * checkpoint's graph when it has one. The key is created when absent and removed when it becomes empty.
   */
  attempt_handles?: Record<string, AttemptHandleJson | null>;
}
