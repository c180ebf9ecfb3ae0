import type { Clock } from '@sdp/internal';

export interface DeadlineOptions {
  clock: Clock;
  /** Ms until the attempt is aborted with `error`. */
  timeout: number;
  /** Ms the aborted attempt gets to settle before it is abandoned. */
  gracePeriod: number;
  /** Called with `error` at the deadline: aborts the executor's signal. */
  abort: (reason: Error) => void;
  /** Ends both waits when the attempt is over. */
  stop: AbortSignal;
  error: Error;
}

/**
 * Fails an attempt at its deadline: its signal aborts, and it then has the grace period to settle, so
 * a slot is not reused while its executor may still run; past that it is abandoned. An attempt that
 * settles after the deadline fails with `error` whatever its own outcome.
 */
export function withDeadline(execution: Promise<unknown>, options: DeadlineOptions): Promise<unknown> {
  const { clock, timeout, gracePeriod, abort, stop, error } = options;
  let passed = false;
  return new Promise<unknown>((resolve, reject) => {
    execution.then(
      (value) => {
        if (passed) reject(error);
        else resolve(value);
      },
      (reason: unknown) => {
        reject(passed ? error : (reason as Error));
      },
    );
    clock
      .sleep(timeout, stop)
      .then(() => {
        passed = true;
        abort(error);
        return clock.sleep(gracePeriod, stop);
      })
      .then(
        () => {
          reject(error);
        },
        () => undefined,
      );
  });
}
