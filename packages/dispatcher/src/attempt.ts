import type { CircuitBreaker } from '@sdp/circuit-breaker';
import type { Clock } from '@sdp/internal';
import { toAttemptHandle, type AttemptHandle } from './attempt-handle.js';
import { withDeadline } from './deadline.js';
import { AttemptTimeoutError } from './errors.js';
import type { AttemptOutcome } from './run-report.js';
import type { AttemptDeadline, Track } from './workstream-track.js';

export interface ExecuteContext {
  /**
   * Aborted when the run stops (cancelled, lock lost, a failed save with `stopOnCheckpointError`) or
   * this attempt times out. Without `attemptTimeoutMs`, every attempt of a run gets the run's own
   * signal: an abort listener should be removed when the attempt ends.
   */
  readonly signal: AbortSignal;
  /** 1 for the first attempt in this run, then 2, 3 … on retries. */
  readonly attempt: number;
  /**
   * Records how to find what this attempt started (a process group, the host, the process start time, a
   * log path): saved in the checkpoint while the attempt runs, removed when it ends, and handed to
   * `endInDoubt` by a resume after this process died. Call it again to replace it. A flat object of
   * strings, finite numbers and booleans (else a TypeError); ignored once the attempt settled.
   */
  readonly setHandle: (handle: AttemptHandle) => void;
}

/** Runs one workstream; resolve for success, reject (or throw) for failure. */
export type Execute = (id: string, context: ExecuteContext) => Promise<unknown>;

/** How an attempt ended, or `'not-admitted'`: the breaker (open, or the run stopped) did not let it start. */
export type AttemptEnd = AttemptOutcome | 'not-admitted';

/** What an attempt needs from its run. */
export interface AttemptInputs {
  readonly breaker: CircuitBreaker;
  readonly execute: Execute;
  readonly clock: Clock;
  readonly attemptTimeoutMs: number | undefined;
  readonly graceMs: number;
  /** The run's signal: aborted when the run stops. */
  readonly cancel: AbortSignal;
  /** The executor is about to be called: `track.attempts` is its number. */
  started(id: string, track: Track): void;
  handleSet(id: string, track: Track, handle: AttemptHandle): void;
  /** The executor's promise settled: nothing of this attempt runs any more. */
  settled(id: string, track: Track): void;
  /** Its deadline's grace period ended with the executor still running. */
  abandoned(id: string, track: Track, error: Error): void;
}

/**
 * One attempt of `id` through the breaker. Resolves once the attempt is over, that is when its executor
 * settled, or when it was abandoned after the grace period of its deadline; never rejects.
 */
export async function runAttempt(inputs: AttemptInputs, id: string, track: Track): Promise<AttemptEnd> {
  const number = track.attempts + 1;
  const deadline = inputs.attemptTimeoutMs === undefined ? undefined : newDeadline(inputs.cancel);
  track.deadline = deadline;
  try {
    await inputs.breaker.execute(() => start(inputs, id, track, number, deadline), inputs.cancel);
    if (deadline === undefined) inputs.settled(id, track);
    return 'completed';
  } catch (error) {
    // Turned away before the executor was called: by an open breaker, or by a run that stopped.
    if (track.attempts !== number) return 'not-admitted';
    if (deadline === undefined) inputs.settled(id, track);
    track.error = error;
    if (track.live && track.ended) return 'abandoned';
    if (deadline?.passed === true) return 'timed-out';
    return inputs.cancel.aborted ? 'cancelled' : 'failed';
  } finally {
    deadline?.stopTimers.abort();
  }
}

function start(inputs: AttemptInputs, id: string, track: Track, number: number, deadline: AttemptDeadline | undefined): Promise<unknown> {
  track.attempts = number;
  inputs.started(id, track);
  // A plain data object: spreading it keeps the signal and setHandle.
  const context: ExecuteContext = {
    attempt: number,
    signal: deadline?.abort.signal ?? inputs.cancel,
    setHandle: (handle) => {
      const checked = toAttemptHandle(handle, `setHandle of workstream ${id}`);
      if (track.attempts === number && track.live) inputs.handleSet(id, track, checked);
    },
  };
  const { attemptTimeoutMs } = inputs;
  if (deadline === undefined || attemptTimeoutMs === undefined) return inputs.execute(id, context);
  const timeout = new AttemptTimeoutError(id, attemptTimeoutMs);
  return withDeadline(
    invoke(() => inputs.execute(id, context)),
    {
      clock: inputs.clock,
      timeoutMs: attemptTimeoutMs,
      graceMs: inputs.graceMs,
      abort: (reason) => {
        deadline.passed = true;
        deadline.abort.abort(reason);
      },
      stop: deadline.stopTimers.signal,
      error: timeout,
      onAbandon: () => {
        inputs.abandoned(id, track, timeout);
      },
      onSettled: () => {
        inputs.settled(id, track);
      },
    },
  );
}

/** Only an attempt with a deadline has a signal of its own (see shared-abort-signal). */
function newDeadline(cancel: AbortSignal): AttemptDeadline {
  const deadline: AttemptDeadline = { abort: new AbortController(), stopTimers: new AbortController(), passed: false };
  if (cancel.aborted) deadline.abort.abort(cancel.reason);
  return deadline;
}

/** Calls `fn`, turning a synchronous throw into a rejection. */
async function invoke(fn: () => Promise<unknown>): Promise<unknown> {
  return fn();
}
