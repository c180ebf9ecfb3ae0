import type { CircuitState } from '@sdp/circuit-breaker';
import type { AttemptHandle } from './attempt-handle.js';

export interface StartEvent {
  readonly id: string;
  /** 1 for the first attempt in this run. */
  readonly attempt: number;
  readonly startedAt: Date;
  /** It was running when an earlier process died. */
  readonly rerunAfterCrash: boolean;
}

export interface CompleteEvent {
  readonly id: string;
  readonly attempt: number;
  readonly durationMs: number;
}

export interface FailureEvent {
  readonly id: string;
  readonly attempt: number;
  readonly error: unknown;
  readonly durationMs: number;
  /** Another attempt follows after `retryInMs`. */
  readonly willRetry: boolean;
  readonly retryInMs?: number;
}

/** @deprecated Renamed {@link FailureEvent}, with the event `onFail` renamed `onFailure`. */
export type FailEvent = FailureEvent;

/**
 * An aborted attempt (timed out, cancelled, lock lost) whose executor did not settle within `graceMs`:
 * its slot is given up, but it may still be running. The workstream is not attempted again in this run,
 * and it stays recorded as running (with its handle) until its executor settles, so that a resume
 * ends it (`endInDoubt`) before starting it again.
 */
export interface AbandonEvent {
  readonly id: string;
  readonly attempt: number;
  /** Epoch ms of the moment it was given up. */
  readonly abandonedAt: number;
  readonly handle?: AttemptHandle;
}

/** What `endInDoubt` said about a workstream an earlier process recorded as running with a handle. */
export interface InDoubtResult {
  readonly id: string;
  readonly handle: AttemptHandle;
  /** `'error'`: it threw (or no `endInDoubt` was given); the workstream is not started in this run. */
  readonly outcome: 'ended' | 'gone' | 'error';
  readonly error?: string;
}

export interface SkipEvent {
  readonly id: string;
  /** The failed workstream that blocked it. */
  readonly blockedBy: string;
}

export type CheckpointEvent =
  | { readonly ok: true; readonly path: string; readonly completed: number; readonly total: number }
  | { readonly ok: false; readonly path: string; readonly error: unknown };

export interface BreakerStateChangeEvent {
  readonly from: CircuitState;
  readonly to: CircuitState;
  /** Epoch ms of the change. */
  readonly at: number;
}
