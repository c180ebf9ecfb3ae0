import { CircuitBreaker, type CircuitBreakerOptions } from '@sdp/circuit-breaker';
import { CheckpointStore } from '@sdp/checkpoint';
import { describeValue, systemClock, type Clock } from '@sdp/internal';
import type { AttemptHandle } from './attempt-handle.js';

/** What to do when the circuit breaker is open and a workstream is ready. */
export type BreakerOpenPolicy = 'wait' | 'stop';

export interface DispatcherOptions {
  /** Feature the workstreams belong to; names the checkpoint file. Required. */
  featureId: string;
  /** Most workstreams running at once. A positive integer, never clamped. Default 3. */
  concurrency?: number;
  /**
   * Where progress is saved: `false` (no checkpoint), `{ dir }` (a store in `dir`, default
   * `.sdp/checkpoints`), or your own `CheckpointStore` (its `featureId` must match). Default `{}`.
   */
  checkpoint?: false | { dir?: string } | CheckpointStore;
  /**
   * Breaker guarding every execution: options for a new one (restored from the checkpoint on resume;
   * its clock defaults to `clock.now`), or your own `CircuitBreaker` (used as is, never restored).
   * Default `{}` (threshold 3 of the last 5, 60 s first open period).
   */
  breaker?: CircuitBreakerOptions | CircuitBreaker;
  /** `'wait'` (default): wait for the half-open moment and send one trial. `'stop'`: end the run. */
  onBreakerOpen?: BreakerOpenPolicy;
  /** Extra attempts after a failed one, per workstream. Default 0. */
  retries?: number;
  /** Wait before retry number `n` (1-based), in ms. Default `min(1000 * 2^(n-1), 30000)`. */
  retryDelayMs?: number | ((retry: number) => number);
  /** @deprecated Renamed `retryDelayMs`; this alias goes in the next minor release. */
  retryDelay?: number | ((retry: number) => number);
  /**
   * Per-attempt limit in ms: past it the attempt's signal is aborted, and the attempt fails with an
   * `AttemptTimeoutError` once its executor settles (or is abandoned after `graceMs`). Default: none.
   */
  attemptTimeoutMs?: number;
  /** @deprecated Renamed `attemptTimeoutMs`; this alias goes in the next minor release. */
  timeout?: number;
  /**
   * How long an aborted attempt (cancelled, timed out, lock lost) keeps its slot waiting for its executor
   * to settle before it is abandoned, in ms. Default 10 000.
   */
  graceMs?: number;
  /** @deprecated Renamed `graceMs`; this alias goes in the next minor release. */
  gracePeriod?: number;
  /**
   * Durations measured in earlier runs (id -> ms, e.g. from run records), used for the critical-path
   * priority of workstreams the checkpoint has no duration for. Unknown ids are ignored.
   */
  knownDurationsMs?: ReadonlyMap<string, number> | Readonly<Record<string, number>>;
  /**
   * Ends what an attempt of an earlier process may have left running. On resume, for every workstream the
   * checkpoint records as running with a handle (see `ExecuteContext.setHandle`), the run awaits this before
   * starting anything: `'ended'` (a survivor was found and ended) or `'gone'` (nothing of it was alive).
   * If it throws, or is not given, that workstream is not started in this run.
   */
  endInDoubt?: (id: string, handle: AttemptHandle, signal: AbortSignal) => Promise<'ended' | 'gone'>;
  /** Stop the run (like a cancellation) when a checkpoint save fails. Default `false`: report and go on. */
  stopOnCheckpointError?: boolean;
  /** Time source for every wait and timestamp. Default: the system clock. */
  clock?: Clock;
}

export interface ResolvedOptions {
  featureId: string;
  concurrency: number;
  store: CheckpointStore | undefined;
  breaker: CircuitBreaker;
  /** Options to rebuild the breaker from a checkpoint; undefined when the caller gave an instance. */
  breakerOptions: CircuitBreakerOptions | undefined;
  onBreakerOpen: BreakerOpenPolicy;
  retries: number;
  retryDelayMs: (retry: number) => number;
  attemptTimeoutMs: number | undefined;
  graceMs: number;
  knownDurationsMs: ReadonlyMap<string, number>;
  endInDoubt: DispatcherOptions['endInDoubt'];
  stopOnCheckpointError: boolean;
  clock: Clock;
}

const defaultRetryDelay = (retry: number) => Math.min(1000 * 2 ** (retry - 1), 30_000);

function assertInteger(name: string, value: unknown, min: number): asserts value is number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`${name} must be a number, got ${describeValue(value)}`);
  }
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
  }
}

function assertDuration(name: string, value: unknown, min: number): asserts value is number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`${name} must be a number of milliseconds, got ${describeValue(value)}`);
  }
  if (!Number.isFinite(value) || value < min) {
    throw new RangeError(`${name} must be a finite number of milliseconds >= ${min}, got ${value}`);
  }
}

/** The value given under the new name or its deprecated alias; both at once must agree. */
function renamed<T>(name: string, value: T | undefined, oldName: string, oldValue: T | undefined): T | undefined {
  if (value !== undefined && oldValue !== undefined && value !== oldValue) {
    throw new TypeError(`${name} and its deprecated alias ${oldName} disagree: give ${name} only`);
  }
  return value ?? oldValue;
}

function readKnownDurations(given: DispatcherOptions['knownDurationsMs']): ReadonlyMap<string, number> {
  if (given === undefined) return new Map();
  const value: unknown = given;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`knownDurationsMs must be a Map or an object of id -> ms, got ${describeValue(value)}`);
  }
  const entries: Iterable<[string, unknown]> = value instanceof Map ? (value as Map<string, unknown>) : Object.entries(value);
  const durations = new Map<string, number>();
  for (const [id, ms] of entries) {
    assertDuration(`knownDurationsMs[${JSON.stringify(id)}]`, ms, 0);
    durations.set(id, ms);
  }
  return durations;
}

/** Validates options up front so that a bad value fails at construction, never mid-run. */
export function resolveOptions(options: DispatcherOptions): ResolvedOptions {
  // Typed callers cannot pass a wrong shape, but JavaScript callers can: check what arrives.
  const given: unknown = options;
  if (typeof given !== 'object' || given === null) {
    throw new TypeError(`options must be an object with at least featureId, got ${describeValue(given)}`);
  }
  const { featureId } = options;
  if (typeof featureId !== 'string' || featureId.trim() === '') {
    throw new TypeError(`featureId must be a non-empty string, got ${describeValue(featureId)}`);
  }
  const concurrency = options.concurrency ?? 3;
  assertInteger('concurrency', concurrency, 1);
  const retries = options.retries ?? 0;
  assertInteger('retries', retries, 0);
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the old name still works for one release
  const attemptTimeoutMs = renamed('attemptTimeoutMs', options.attemptTimeoutMs, 'timeout', options.timeout);
  if (attemptTimeoutMs !== undefined) assertDuration('attemptTimeoutMs', attemptTimeoutMs, 1);
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the old name still works for one release
  const graceMs = renamed('graceMs', options.graceMs, 'gracePeriod', options.gracePeriod) ?? 10_000;
  assertDuration('graceMs', graceMs, 0);
  const knownDurationsMs = readKnownDurations(options.knownDurationsMs);
  const endInDoubt: unknown = options.endInDoubt;
  if (endInDoubt !== undefined && typeof endInDoubt !== 'function') {
    throw new TypeError(`endInDoubt must be a function, got ${describeValue(endInDoubt)}`);
  }

  const onBreakerOpen: unknown = options.onBreakerOpen ?? 'wait';
  if (onBreakerOpen !== 'wait' && onBreakerOpen !== 'stop') {
    throw new TypeError(`onBreakerOpen must be 'wait' or 'stop', got ${describeValue(onBreakerOpen)}`);
  }

  let retryDelayMs = defaultRetryDelay;
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the old name still works for one release
  const givenRetryDelay: unknown = renamed('retryDelayMs', options.retryDelayMs, 'retryDelay', options.retryDelay);
  if (typeof givenRetryDelay === 'number') {
    assertDuration('retryDelayMs', givenRetryDelay, 0);
    retryDelayMs = () => givenRetryDelay;
  } else if (typeof givenRetryDelay === 'function') {
    const delayOf = givenRetryDelay as (retry: number) => unknown;
    // Checked at each call: a bad value fails the workstream that waits for it (see DispatchRun#live).
    retryDelayMs = (retry) => {
      const ms = delayOf(retry);
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
        throw new RangeError(`retryDelayMs(${retry}) must return a finite number of milliseconds >= 0, got ${String(ms)}`);
      }
      return ms;
    };
  } else if (givenRetryDelay !== undefined) {
    throw new TypeError(`retryDelayMs must be a number or a function, got ${describeValue(givenRetryDelay)}`);
  }

  const clock = options.clock ?? systemClock;
  if (typeof clock.now !== 'function' || typeof clock.sleep !== 'function') {
    throw new TypeError('clock must have now() and sleep(ms, signal) functions');
  }

  let breaker: CircuitBreaker;
  let breakerOptions: CircuitBreakerOptions | undefined;
  if (options.breaker instanceof CircuitBreaker) {
    breaker = options.breaker;
  } else {
    breakerOptions = { now: () => clock.now(), ...options.breaker };
    breaker = new CircuitBreaker(breakerOptions);
  }

  let store: CheckpointStore | undefined;
  const checkpoint = options.checkpoint ?? {};
  if (checkpoint instanceof CheckpointStore) {
    if (checkpoint.featureId !== featureId) {
      throw new TypeError(`checkpoint store is for feature "${checkpoint.featureId}", not "${featureId}"`);
    }
    store = checkpoint;
  } else if (checkpoint !== false) {
    store = new CheckpointStore(checkpoint.dir === undefined ? { featureId } : { featureId, dir: checkpoint.dir });
  }

  return {
    featureId,
    concurrency,
    store,
    breaker,
    breakerOptions,
    onBreakerOpen,
    retries,
    retryDelayMs,
    attemptTimeoutMs,
    graceMs,
    knownDurationsMs,
    endInDoubt: options.endInDoubt,
    stopOnCheckpointError: options.stopOnCheckpointError ?? false,
    clock,
  };
}
