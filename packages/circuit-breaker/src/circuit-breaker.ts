import type { Dispose } from '@sdp/internal';
import { resolveOptions, type CircuitBreakerOptions } from './circuit-breaker-options.js';
import { parseSnapshot, snapshotOf, type CircuitBreakerSnapshot } from './circuit-breaker-snapshot.js';
import {
  circuitListeners,
  type CircuitFailureEvent,
  type CircuitListeners,
  type CircuitRejectEvent,
  type CircuitStateChangeEvent,
  type CircuitSuccessEvent,
} from './circuit-events.js';
import { CircuitMachine } from './circuit-machine.js';
import type { CircuitMetrics } from './circuit-metrics.js';
import { stateName, type CircuitState } from './circuit-state.js';
import { classifyFailure } from './classify-failure.js';
import { SharedSettlers, type Settlers } from './engine/shared-settlers.js';
import { followLikeAwait } from './follow-like-await.js';

/**
 * Guards any function: after `threshold` failures among the last `window` counted calls it opens
 * and refuses calls for an open period that doubles with each consecutive open (from
 * `halfOpenAfterMs` up to `maxHalfOpenAfterMs`), then admits one trial call at a time (half-open)
 * whose outcome closes or re-opens it. It never starts a timer: moves in time happen lazily, when
 * the breaker is asked.
 */
export class CircuitBreaker {
  readonly #now: () => number;
  readonly #isFailure: ((error: unknown) => boolean) | undefined;
  readonly #machine: CircuitMachine;
  readonly #on: CircuitListeners = circuitListeners();
  readonly #settlers = new SharedSettlers((generation, trial, startedAt, signal) =>
    this.#makeSettlers(generation, trial, startedAt, signal),
  );

  /** @throws {TypeError | RangeError} when `options` are invalid (the message names the option) */
  constructor(options?: CircuitBreakerOptions) {
    const resolved = resolveOptions(options);
    this.#now = resolved.now;
    this.#isFailure = resolved.isFailure;
    this.#machine = new CircuitMachine(resolved, (from, to, at) => {
      if (this.#on.stateChange.size !== 0) this.#on.stateChange.emit({ from: stateName(from), to: stateName(to), at });
    });
  }

  /**
   * A breaker that continues from `snapshot` (e.g. parsed from a checkpoint). With the options of
   * the breaker that took the snapshot and no call in flight then, it behaves exactly like that
   * breaker for any following sequence of calls and clock readings. See the README for how
   * Go-written snapshots and clock jumps are handled.
   *
   * @throws {CircuitBreakerSnapshotError} when `snapshot` is malformed (names the key)
   * @throws {TypeError | RangeError} when `options` are invalid
   */
  static fromSnapshot(snapshot: CircuitBreakerSnapshot, options?: CircuitBreakerOptions): CircuitBreaker {
    const breaker = new CircuitBreaker(options);
    breaker.#machine.restore(parseSnapshot(snapshot), breaker.#now());
    return breaker;
  }

  /** The current state, evaluated against the clock (an expired open period turns into half-open here). */
  get state(): CircuitState {
    return stateName(this.#machine.stateAt(this.#now()));
  }

  /**
   * Runs `fn(signal)` if the breaker admits the call and settles with its result. Rejects with a
   * {@link CircuitOpenError} without calling `fn` when open, or when half-open with its trial in
   * flight; with `signal.reason` without calling `fn` when `signal` is already aborted. `fn` gets
   * `signal` to honour; the breaker does not race `fn` against it.
   */
  execute<T>(fn: (signal?: AbortSignal) => Promise<T> | T, signal?: AbortSignal): Promise<T> {
    if (typeof fn !== 'function') {
      return Promise.reject(new TypeError(`CircuitBreaker.execute: fn must be a function, got ${typeof fn}`));
    }
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the caller's own abort reason, as Node APIs do
    if (signal?.aborted === true) return Promise.reject(signal.reason as unknown);
    const startedAt = this.#now();
    const admission = this.#machine.admit(startedAt);
    if (typeof admission !== 'string') {
      if (this.#on.reject.size !== 0) this.#on.reject.emit(admission);
      return Promise.reject(admission);
    }
    const trial = admission === 'trial';
    const generation = this.#machine.generation;
    let result: Promise<T> | T;
    try {
      result = fn(signal);
    } catch (error) {
      this.#settleRejected(error, generation, trial, startedAt, signal);
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- fn's own error, passed through as is
      return Promise.reject(error);
    }
    const { resolved, rejected } = this.#settlers.get(generation, trial, startedAt, signal);
    return followLikeAwait(result, resolved, rejected);
  }

  /**
   * Milliseconds until a trial call may be admitted: > 0 while open; 0 when closed or half-open
   * (while a half-open trial is in flight it is 0 too, and `metrics().trialInFlight` is true).
   */
  retryAfterMs(): number {
    return this.#machine.retryAfterMs(this.#now());
  }

  metrics(): CircuitMetrics {
    return this.#machine.metrics(this.#now());
  }

  /** The state as plain JSON (seed keys plus `window`, `open_remaining_ms`, `taken_at`); calls in flight are not part of it. */
  snapshot(): CircuitBreakerSnapshot {
    const now = this.#now();
    return snapshotOf(this.#machine.metrics(now), now);
  }

  onStateChange(listener: (event: CircuitStateChangeEvent) => void): Dispose {
    return this.#on.stateChange.add(listener, 'onStateChange');
  }

  onSuccess(listener: (event: CircuitSuccessEvent) => void): Dispose {
    return this.#on.success.add(listener, 'onSuccess');
  }

  onFailure(listener: (event: CircuitFailureEvent) => void): Dispose {
    return this.#on.failure.add(listener, 'onFailure');
  }

  onReject(listener: (event: CircuitRejectEvent) => void): Dispose {
    return this.#on.reject.add(listener, 'onReject');
  }

  #makeSettlers(generation: number, trial: boolean, startedAt: number, signal: AbortSignal | undefined): Settlers {
    return {
      resolved: (value) => {
        this.#settleResolved(generation, trial, startedAt, signal);
        return value;
      },
      rejected: (error) => {
        this.#settleRejected(error, generation, trial, startedAt, signal);
        throw error;
      },
    };
  }

  #settleResolved(generation: number, trial: boolean, startedAt: number, signal: AbortSignal | undefined): void {
    const counted = this.#machine.count(generation, trial, signal?.aborted === true ? 'cancelled' : 'success');
    if (this.#on.success.size !== 0) {
      this.#on.success.emit({ durationMs: this.#durationSince(startedAt), counted });
    }
  }

  #settleRejected(error: unknown, generation: number, trial: boolean, startedAt: number, signal: AbortSignal | undefined): void {
    const kind = classifyFailure(error, signal, this.#isFailure);
    const counted = this.#machine.count(generation, trial, kind === 'ignored' ? 'success' : kind);
    if (this.#on.failure.size !== 0) {
      this.#on.failure.emit({ error, durationMs: this.#durationSince(startedAt), kind, counted });
    }
  }

  #durationSince(startedAt: number): number {
    return Math.max(0, this.#now() - startedAt);
  }
}
