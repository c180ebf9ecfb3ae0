import type { AttemptHandle } from './attempt-handle.js';

/**
 * What a run changed since its checkpoint was last written: what the next checkpoint update carries,
 * so that saving costs the size of the change, not of the whole feature.
 */
export class RunChanges {
  /** Completed in this run, in order. */
  readonly completed: string[] = [];
  /** Failed for good in this run, in order. */
  readonly failed: string[] = [];
  /** Skipped id -> the failed id that blocked it. */
  readonly skipped = new Map<string, string>();
  /** Started or finished an attempt: their attempt counts or durations changed. */
  readonly executed = new Set<string>();
  /** A running attempt's handle was set, or (`null`) its attempt ended. */
  readonly handles = new Map<string, AttemptHandle | null>();

  get isEmpty(): boolean {
    return (
      this.completed.length === 0 &&
      this.failed.length === 0 &&
      this.skipped.size === 0 &&
      this.executed.size === 0 &&
      this.handles.size === 0
    );
  }
}
