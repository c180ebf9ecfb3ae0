import {
  openDuration,
  resolveOptions,
  type CircuitBreakerOptions,
  type ResolvedOptions,
} from './circuit-breaker-options.js';
import { parseSnapshot, type CircuitBreakerSnapshot } from './circuit-breaker-snapshot.js';
import type {
  CircuitFailureEvent,
  CircuitFailureKind,
  CircuitRejectEvent,
  CircuitStateChangeEvent,
  CircuitSuccessEvent,
} from './circuit-events.js';
import type { CircuitMetrics } from './circuit-metrics.js';
import { CircuitOpenError } from './circuit-open-error.js';
import { CLOSED, HALF_OPEN, OPEN, stateName, type CircuitState, type CircuitStateCode } from './circuit-state.js';
import { Listeners, type Dispose } from '@sdp/internal';
import { OutcomeWindow } from './outcome-window.js';
import { planRestore, type RestorePlan } from './restore-plan.js';
import { formatTime } from '@sdp/internal';

/** `await` does not look up a promise's `then`; neither does `execute`. */
// eslint-disable-next-line @typescript-eslint/unbound-method -- always called with .call
const then = Promise.prototype.then;

/** The clock readings a breaker keeps (epoch ms). */
interface Times {
  openedAt: number;
  openUntil: number;
  /** While open: the last clock reading seen, to notice a clock that went back. */
  observedAt: number;
  lastFailureAt: number | undefined;
  lastStateChangeAt: number | undefined;
}

/** The callbacks that count and report the outcome of one admitted call. */
interface Settlers {
  readonly generation: number;
  readonly signal: AbortSignal | undefined;
  readonly resolved: (value: unknown) => unknown;
  readonly rejected: (error: unknown) => never;
}

/**
 * Takes the callbacks as arguments, where they get no name: tools that keep function names (tsx,
 * esbuild's `keepNames`) would otherwise define one on each new pair, which costs more than the call.
 */
function settlers(
  generation: number,
  signal: AbortSignal | undefined,
  resolved: (value: unknown) => unknown,
  rejected: (error: unknown) => never,
): Settlers {
  return { generation, signal, resolved, rejected };
}

function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/**
 * Guards any function: after `threshold` failures among the last `window` counted calls it opens
 * and refuses calls for an open duration that doubles with each consecutive open (up to
 * `maxBackoff`), then admits one trial call at a time (half-open) whose outcome closes or re-opens
 * it. It never starts a timer: moves in time happen lazily, when the breaker is asked.
 */
export class CircuitBreaker {
  // Few own fields on purpose (related ones are grouped in records): V8 defines private fields with
  // keyed stores, which turn an instance with more than 12 out-of-object fields into a slow
  // dictionary, and once V8's in-object slack tracking has ended while no instance was alive (a few
  // short-lived breakers and a GC suffice), every field of later instances is out-of-object.
  readonly #options: ResolvedOptions;
  readonly #now: () => number;
  readonly #window: OutcomeWindow;
  #state: CircuitStateCode = CLOSED;
  /** Bumped on every state change; a call counts only if it settles in the generation that admitted it. */
  #generation = 0;
  #consecutiveOpens = 0;
  #trialInFlight = false;
  readonly #times: Times = {
    openedAt: 0,
    openUntil: 0,
    observedAt: 0,
    lastFailureAt: undefined,
    lastStateChangeAt: undefined,
  };
  readonly #on = {
    stateChange: new Listeners<CircuitStateChangeEvent>('CircuitBreaker'),
    success: new Listeners<CircuitSuccessEvent>('CircuitBreaker'),
    failure: new Listeners<CircuitFailureEvent>('CircuitBreaker'),
    reject: new Listeners<CircuitRejectEvent>('CircuitBreaker'),
  };
  /** The settlers of the last untimed non-trial call, reused by the next one admitted in the same generation with the same signal. */
  #shared: Settlers = this.#settlers(0, false, Number.NaN, undefined);

  constructor(options?: CircuitBreakerOptions) {
    this.#options = resolveOptions(options);
    this.#now = this.#options.now;
    this.#window = new OutcomeWindow(this.#options.window);
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
    const now = breaker.#now();
    breaker.#restore(planRestore(parseSnapshot(snapshot), breaker.#options, now), now);
    return breaker;
  }

  /** The current state, evaluated against the clock (an expired open period turns into half-open here). */
  get state(): CircuitState {
    if (this.#state === OPEN) this.#refresh(this.#now());
    return stateName(this.#state);
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
    let trial = false;
    if (this.#state !== CLOSED) {
      const rejection = this.#admitTrial();
      if (rejection !== undefined) return Promise.reject(rejection);
      trial = true;
    }
    const generation = this.#generation;
    const timed = this.#isTimed();
    const startedAt = timed ? this.#now() : Number.NaN;
    let settlers = this.#shared;
    if (trial || timed) {
      settlers = this.#settlers(generation, trial, startedAt, signal);
    } else if (settlers.generation !== generation || settlers.signal !== signal) {
      settlers = this.#shared = this.#settlers(generation, false, startedAt, signal);
    }
    let result: Promise<T> | T;
    try {
      result = fn(signal);
    } catch (error) {
      this.#settleRejected(error, generation, trial, startedAt, signal);
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- fn's own error, passed through as is
      return Promise.reject(error);
    }
    // Promise.resolve adopts a native promise as is and a thenable or value as `await` does, so
    // this settles in the same microtask as `await fn(signal)` in an async function would.
    return then.call(Promise.resolve(result), settlers.resolved, settlers.rejected) as Promise<T>;
  }

  /**
   * The callbacks that count and report one admitted call's outcome. Untimed non-trial calls
   * admitted in one generation with one signal share them (see `#shared`), so they allocate none.
   */
  #settlers(generation: number, trial: boolean, startedAt: number, signal: AbortSignal | undefined): Settlers {
    return settlers(
      generation,
      signal,
      (value) => {
        this.#settleResolved(generation, trial, startedAt, signal);
        return value;
      },
      (error) => {
        this.#settleRejected(error, generation, trial, startedAt, signal);
        throw error;
      },
    );
  }

  /**
   * Milliseconds until a trial call may be admitted: > 0 while open; 0 when closed or half-open
   * (while a half-open trial is in flight it is 0 too, and `metrics().trialInFlight` is true).
   */
  retryAfterMs(): number {
    if (this.#state !== OPEN) return 0;
    const now = this.#now();
    return this.#refresh(now) === OPEN ? this.#times.openUntil - now : 0;
  }

  metrics(): CircuitMetrics {
    const now = this.#now();
    this.#refresh(now);
    const metrics: {
      -readonly [K in keyof CircuitMetrics]: CircuitMetrics[K];
    } = {
      state: stateName(this.#state),
      failureCount: this.#window.failures,
      successCount: this.#window.successes,
      consecutiveOpens: this.#consecutiveOpens,
      window: this.#window.toArray(),
      trialInFlight: this.#trialInFlight,
      retryAfterMs: this.#state === OPEN ? this.#times.openUntil - now : 0,
    };
    if (this.#state === OPEN) {
      metrics.openedAt = this.#times.openedAt;
      metrics.openUntil = this.#times.openUntil;
    }
    if (this.#times.lastFailureAt !== undefined) metrics.lastFailureAt = this.#times.lastFailureAt;
    if (this.#times.lastStateChangeAt !== undefined) metrics.lastStateChangeAt = this.#times.lastStateChangeAt;
    return metrics;
  }

  /** The state as plain JSON (seed keys plus `window`, `open_remaining_ms`, `taken_at`); calls in flight are not part of it. */
  snapshot(): CircuitBreakerSnapshot {
    const now = this.#now();
    this.#refresh(now);
    return {
      state: this.#state,
      failure_count: this.#window.failures,
      success_count: this.#window.successes,
      consecutive_opens: this.#consecutiveOpens,
      last_failure_time: formatTime(this.#times.lastFailureAt),
      last_state_change: formatTime(this.#times.lastStateChangeAt),
      window: this.#window.toArray().map((failed) => (failed ? 1 : 0)),
      ...(this.#state === OPEN ? { open_remaining_ms: this.#times.openUntil - now } : {}),
      taken_at: formatTime(now),
    };
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

  #isTimed(): boolean {
    return this.#on.success.size !== 0 || this.#on.failure.size !== 0;
  }

  /** Called when not closed: admits the half-open trial (returns undefined) or returns the one rejection. */
  #admitTrial(): CircuitOpenError | undefined {
    const now = this.#now();
    const state = this.#refresh(now);
    if (state === HALF_OPEN && !this.#trialInFlight) {
      this.#trialInFlight = true;
      return undefined;
    }
    const open = state === OPEN;
    const error = new CircuitOpenError(open ? this.#times.openUntil - now : 0, open ? 'open' : 'half-open');
    if (this.#on.reject.size !== 0) this.#on.reject.emit(error);
    return error;
  }

  /**
   * Applies the lazy move open -> half-open. A clock that went back since the last reading counts
   * as no time passing (the remaining open time is kept), so it can neither extend nor skip it.
   */
  #refresh(now: number): CircuitStateCode {
    if (this.#state !== OPEN) return this.#state;
    if (now < this.#times.observedAt) this.#times.openUntil -= this.#times.observedAt - now;
    this.#times.observedAt = now;
    if (now >= this.#times.openUntil) {
      this.#trialInFlight = false;
      this.#moveTo(HALF_OPEN, now);
    }
    return this.#state;
  }

  #settleResolved(generation: number, trial: boolean, startedAt: number, signal: AbortSignal | undefined): void {
    const current = generation === this.#generation;
    const cancelled = signal?.aborted === true;
    if (current) {
      if (cancelled) {
        if (trial) this.#trialInFlight = false;
      } else {
        this.#countSuccess(trial);
      }
    }
    if (this.#on.success.size !== 0) {
      this.#on.success.emit({ durationMs: this.#durationSince(startedAt), counted: current && !cancelled });
    }
  }

  #settleRejected(
    error: unknown,
    generation: number,
    trial: boolean,
    startedAt: number,
    signal: AbortSignal | undefined,
  ): void {
    const kind = this.#classify(error, signal);
    const current = generation === this.#generation;
    if (current) {
      if (kind === 'cancelled') {
        if (trial) this.#trialInFlight = false;
      } else if (kind === 'ignored') {
        this.#countSuccess(trial);
      } else {
        this.#countFailure(trial);
      }
    }
    if (this.#on.failure.size !== 0) {
      this.#on.failure.emit({
        error,
        durationMs: this.#durationSince(startedAt),
        kind,
        counted: current && kind !== 'cancelled',
      });
    }
  }

  #classify(error: unknown, signal: AbortSignal | undefined): CircuitFailureKind {
    if (signal?.aborted === true || isAbortError(error)) return 'cancelled';
    const isFailure = this.#options.isFailure;
    if (isFailure === undefined) return 'failure';
    try {
      return isFailure(error) ? 'failure' : 'ignored';
    } catch (predicateError) {
      // A broken predicate must not hide the call's own error: count it, surface the bug.
      queueMicrotask(() => {
        throw predicateError;
      });
      return 'failure';
    }
  }

  #durationSince(startedAt: number): number {
    return Number.isNaN(startedAt) ? Number.NaN : Math.max(0, this.#now() - startedAt);
  }

  #countSuccess(trial: boolean): void {
    if (!trial) {
      this.#window.push(false);
      return;
    }
    this.#window.clear();
    this.#consecutiveOpens = 0;
    this.#trialInFlight = false;
    this.#moveTo(CLOSED, this.#now());
  }

  #countFailure(trial: boolean): void {
    const now = this.#now();
    this.#times.lastFailureAt = now;
    if (trial) {
      this.#trialInFlight = false;
    } else {
      this.#window.push(true);
      if (this.#window.failures < this.#options.threshold) return;
    }
    this.#consecutiveOpens++;
    this.#times.openedAt = now;
    this.#times.openUntil = now + openDuration(this.#options, this.#consecutiveOpens);
    this.#times.observedAt = now;
    this.#moveTo(OPEN, now);
  }

  #moveTo(to: CircuitStateCode, now: number): void {
    const from = this.#state;
    this.#state = to;
    this.#generation++;
    this.#times.lastStateChangeAt = now;
    if (this.#on.stateChange.size !== 0) {
      this.#on.stateChange.emit({ from: stateName(from), to: stateName(to), at: now });
    }
  }

  #restore(plan: RestorePlan, now: number): void {
    this.#state = plan.state;
    this.#consecutiveOpens = plan.consecutiveOpens;
    for (const failed of plan.window) this.#window.push(failed);
    this.#times.lastFailureAt = plan.lastFailureAt;
    this.#times.lastStateChangeAt = plan.lastStateChangeAt;
    this.#times.openedAt = plan.openedAt;
    this.#times.openUntil = plan.openUntil;
    this.#times.observedAt = now;
  }
}
