import { describeValue } from '@sdp/internal';

/** Options of `new CircuitBreaker(options)`; every one is optional. */
export interface CircuitBreakerOptions {
  /** Failures among the last `window` counted calls that open the circuit, 1..window. Default 3. */
  readonly threshold?: number;
  /** Size of the count-based sliding window, an integer >= 1. Default 5. */
  readonly window?: number;
  /** First open duration in ms, a positive integer. Default 60 000. */
  readonly timeout?: number;
  /** Cap in ms of the doubled open duration, an integer >= timeout. Default 300 000 (or `timeout` if larger). */
  readonly maxBackoff?: number;
  /** Which errors count as failures. Default: every error. Cancellations never count. */
  readonly isFailure?: (error: unknown) => boolean;
  /** The clock, epoch ms. Default `Date.now`. */
  readonly now?: () => number;
}

export interface ResolvedOptions {
  readonly threshold: number;
  readonly window: number;
  readonly timeout: number;
  readonly maxBackoff: number;
  readonly isFailure: ((error: unknown) => boolean) | undefined;
  readonly now: () => number;
}

export const DEFAULT_THRESHOLD = 3;
export const DEFAULT_WINDOW = 5;
export const DEFAULT_TIMEOUT = 60_000;
export const DEFAULT_MAX_BACKOFF = 300_000;

function integerOption(name: string, value: unknown, fallback: number, min: number, minText: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') {
    throw new TypeError(`CircuitBreaker option "${name}" must be a number, got ${describeValue(value)}`);
  }
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`CircuitBreaker option "${name}" must be an integer >= ${minText}, got ${describeValue(value)}`);
  }
  return value;
}

function functionOption(name: string, value: unknown): ((...args: never[]) => unknown) | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') {
    throw new TypeError(`CircuitBreaker option "${name}" must be a function, got ${describeValue(value)}`);
  }
  return value as (...args: never[]) => unknown;
}

/** Validates options up front and fills in defaults; throws `TypeError`/`RangeError` naming the option. */
export function resolveOptions(options: unknown): ResolvedOptions {
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw new TypeError(`CircuitBreaker options must be an object, got ${describeValue(options)}`);
  }
  const o = (options ?? {}) as Record<string, unknown>;
  const window = integerOption('window', o['window'], DEFAULT_WINDOW, 1, '1');
  const threshold = integerOption('threshold', o['threshold'], DEFAULT_THRESHOLD, 1, '1');
  if (threshold > window) {
    throw new RangeError(`CircuitBreaker option "threshold" must be <= window (${window}), got ${threshold}`);
  }
  const timeout = integerOption('timeout', o['timeout'], DEFAULT_TIMEOUT, 1, '1');
  const maxBackoff = integerOption(
    'maxBackoff',
    o['maxBackoff'],
    Math.max(DEFAULT_MAX_BACKOFF, timeout),
    timeout,
    `timeout (${timeout})`,
  );
  return {
    threshold,
    window,
    timeout,
    maxBackoff,
    isFailure: functionOption('isFailure', o['isFailure']) as ((error: unknown) => boolean) | undefined,
    now: (functionOption('now', o['now']) as (() => number) | undefined) ?? Date.now,
  };
}

/** How long the breaker stays open on its `consecutiveOpens`-th open in a row (>= 1). */
export function openDuration(options: ResolvedOptions, consecutiveOpens: number): number {
  return Math.min(options.timeout * 2 ** (consecutiveOpens - 1), options.maxBackoff);
}
