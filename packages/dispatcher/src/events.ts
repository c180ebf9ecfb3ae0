import type { CircuitState } from '@sdp/circuit-breaker';

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

export interface FailEvent {
  readonly id: string;
  readonly attempt: number;
  readonly error: unknown;
  readonly durationMs: number;
  /** Another attempt follows after `retryInMs`. */
  readonly willRetry: boolean;
  readonly retryInMs?: number;
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
