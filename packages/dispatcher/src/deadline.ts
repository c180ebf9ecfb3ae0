import type { Clock } from '@sdp/internal';

export interface DeadlineOptions {
  clock: Clock;
  /** Ms until the attempt is aborted with `error`. */
  timeoutMs: number;
  /** Ms the aborted attempt then gets to settle before it is abandoned. */
  graceMs: number;
  /** Called with `error` at the deadline: aborts the executor's signal. */
  abort: (reason: Error) => void;
  /** Ends both waits when the attempt is over (or the run finished). */
  stop: AbortSignal;
  error: Error;
  /** The grace period ended with the execution still pending: it is given up (it may still run). */
  onAbandon: () => void;
  /** The execution settled, whenever that is (after an abandonment too): nothing of it runs any more. */
  onSettled: () => void;
}

/**
 * Fails an attempt at its deadline: its signal aborts, and the attempt is over only when the execution
 * settles, so its slot is not reused while its executor may still run; if it does not settle within the
 * grace period it is abandoned (`onAbandon`, then the timeout error). An execution that settles after the
 * deadline fails with `error` whatever its own outcome.
 */
export function withDeadline(execution: Promise<unknown>, options: DeadlineOptions): Promise<unknown> {
  const { clock, timeoutMs, graceMs, abort, stop, error, onAbandon, onSettled } = options;
  let passed = false;
  return new Promise<unknown>((resolve, reject) => {
    execution.then(
      (value) => {
        onSettled();
        if (passed) reject(error);
        else resolve(value);
      },
      (reason: unknown) => {
        onSettled();
        reject(passed ? error : (reason as Error));
      },
    );
    clock
      .sleep(timeoutMs, stop)
      .then(() => {
        passed = true;
        abort(error);
        return clock.sleep(graceMs, stop);
      })
      .then(
        () => {
          onAbandon();
          reject(error);
        },
        () => undefined,
      );
  });
}
