import type { AttemptHandle } from './attempt-handle.js';
import type { AttemptRecord } from './run-report.js';

/**
 * What a run knows of one workstream it took from the ready set. The fields of the current attempt
 * are one set, not one per attempt: a workstream never has two live attempts.
 */
export interface Track {
  /** Attempts started in this run; the current (or last) one is number `attempts`. */
  attempts: number;
  /** Every attempt of this run that is over (settled or abandoned), in order. */
  readonly records: AttemptRecord[];
  /** Start of its first attempt in this run (epoch ms). */
  startedAt: number | undefined;
  /** Of its last attempt that measured the work (not a cancelled one). */
  durationMs: number | undefined;
  /** Time spent executing, over all its attempts. */
  workMs: number;
  /** Of its last attempt that did not complete. */
  error: unknown;
  /** Start of the current attempt (epoch ms). */
  attemptStartedAt: number;
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

export function newTrack(): Track {
  return {
    attempts: 0,
    records: [],
    startedAt: undefined,
    durationMs: undefined,
    workMs: 0,
    error: undefined,
    attemptStartedAt: 0,
    live: false,
    ended: true,
    handle: undefined,
    deadline: undefined,
    backoff: undefined,
  };
}
