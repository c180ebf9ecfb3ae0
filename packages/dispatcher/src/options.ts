import { CircuitBreaker, type CircuitBreakerOptions } from '@sdp/circuit-breaker';
import { CheckpointStore } from '@sdp/checkpoint';
import { systemClock, type Clock } from '@sdp/internal';

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
  retryDelay?: number | ((retry: number) => number);
  /** Per-attempt limit in ms; an attempt past it is aborted and fails. Default: none. */
  timeout?: number;
  /** After cancellation, how long running executors get to settle, in ms. Default 10 000. */
  gracePeriod?: number;
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
  retryDelay: (retry: number) => number;
  timeout: number | undefined;
  gracePeriod: number;
  stopOnCheckpointError: boolean;
  clock: Clock;
}

const defaultRetryDelay = (retry: number) => Math.min(1000 * 2 ** (retry - 1), 30_000);

function assertInteger(name: string, value: unknown, min: number): asserts value is number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`${name} must be a number, got ${describe(value)}`);
  }
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
  }
}

function assertDuration(name: string, value: unknown, min: number): asserts value is number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`${name} must be a number of milliseconds, got ${describe(value)}`);
  }
  if (!Number.isFinite(value) || value < min) {
    throw new RangeError(`${name} must be a finite number of milliseconds >= ${min}, got ${value}`);
  }
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** Validates options up front so that a bad value fails at construction, never mid-run. */
export function resolveOptions(options: DispatcherOptions): ResolvedOptions {
  // Typed callers cannot pass a wrong shape, but JavaScript callers can: check what arrives.
  const given: unknown = options;
  if (typeof given !== 'object' || given === null) {
    throw new TypeError(`options must be an object with at least featureId, got ${describe(given)}`);
  }
  const { featureId } = options;
  if (typeof featureId !== 'string' || featureId.trim() === '') {
    throw new TypeError(`featureId must be a non-empty string, got ${describe(featureId)}`);
  }
  const concurrency = options.concurrency ?? 3;
  assertInteger('concurrency', concurrency, 1);
  const retries = options.retries ?? 0;
  assertInteger('retries', retries, 0);
  if (options.timeout !== undefined) assertDuration('timeout', options.timeout, 1);
  const gracePeriod = options.gracePeriod ?? 10_000;
  assertDuration('gracePeriod', gracePeriod, 0);

  const onBreakerOpen: unknown = options.onBreakerOpen ?? 'wait';
  if (onBreakerOpen !== 'wait' && onBreakerOpen !== 'stop') {
    throw new TypeError(`onBreakerOpen must be 'wait' or 'stop', got ${describe(onBreakerOpen)}`);
  }

  let retryDelay = defaultRetryDelay;
  const givenRetryDelay: unknown = options.retryDelay;
  if (typeof givenRetryDelay === 'number') {
    assertDuration('retryDelay', givenRetryDelay, 0);
    retryDelay = () => givenRetryDelay;
  } else if (typeof givenRetryDelay === 'function') {
    retryDelay = givenRetryDelay as (retry: number) => number;
  } else if (givenRetryDelay !== undefined) {
    throw new TypeError(`retryDelay must be a number or a function, got ${describe(givenRetryDelay)}`);
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
    retryDelay,
    timeout: options.timeout,
    gracePeriod,
    stopOnCheckpointError: options.stopOnCheckpointError ?? false,
    clock,
  };
}
