import type { AttemptHandle } from './attempt-handle.js';

/**
 * A workstream while it holds a slot in a run: its current attempt. One set of fields, not one per
 * attempt: a workstream never has two live attempts. What outlasts the slot is in the run's
 * `WorkstreamTable`.
 */
export interface Track {
  /** Its node index (see `WorkstreamTable`). */
  readonly node: number;
  /** Attempts started in this run; the current (or last) one is number `attempts`. */
  attempts: number;
  /** Of its last attempt that did not complete. */
  error: unknown;
  /** The current attempt's executor was called and has not settled: something of it may be alive. */
  live: boolean;
  /** The current attempt is over for the run (recorded): settled, or abandoned while still live. */
  ended: boolean;
  /** What the current attempt's executor recorded with `setHandle`. */
  handle: AttemptHandle | undefined;
  /** The current attempt's own signal and deadline timers (only with `attemptTimeoutMs`). */
  deadline: AttemptDeadline | undefined;
  /** The wait before its next attempt, to cut short when the run stops. */
  backoff: AbortController | undefined;
}

/** An attempt's own signal and the timers of its deadline and grace period. */
export interface AttemptDeadline {
  readonly abort: AbortController;
  /** Ends both timers once the attempt is over or the run finished. */
  readonly stopTimers: AbortController;
  passed: boolean;
}

/** The track of `node`, taken with `attempts` already made in this run. */
export function newTrack(node: number, attempts: number): Track {
  return { node, attempts, error: undefined, live: false, ended: true, handle: undefined, deadline: undefined, backoff: undefined };
}
