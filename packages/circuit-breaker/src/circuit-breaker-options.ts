import { describeValue } from '@sdp/internal';

/** Options of `new CircuitBreaker(options)`; every one is optional. */
export interface CircuitBreakerOptions {
  /** Failures among the last `window` counted calls that open the circuit, 1..window. Default 3. */
  readonly threshold?: number;
  /** Size of the count-based sliding window, an integer >= 1. Default 5. */
  readonly window?: number;
  /**
   * How long the breaker stays open before it admits a trial call, in ms, on its first open; it
   * doubles on each consecutive open. A positive integer. Default 60 000.
   */
  readonly halfOpenAfterMs?: number;
  /** Cap in ms of the doubled open period, an integer >= `halfOpenAfterMs`. Default 300 000 (or `halfOpenAfterMs` if larger). */
  readonly maxHalfOpenAfterMs?: number;
  /** @deprecated Use `halfOpenAfterMs` (same meaning); this name goes in the next minor release. */
  readonly timeout?: number;
  /** @deprecated Use `maxHalfOpenAfterMs` (same meaning); this name goes in the next minor release. */
  readonly maxBackoff?: number;
  /**
   * Which errors count as failures. Default: every error. Cancellations never count. It should not
   * throw; if it does, its error is ignored and the call's error counts as a failure.
   */
  readonly isFailure?: (error: unknown) => boolean;
  /** The clock, epoch ms. Default `Date.now`. */
  readonly now?: () => number;
}

export interface ResolvedOptions {
  readonly threshold: number;
  readonly window: number;
  readonly halfOpenAfterMs: number;
  readonly maxHalfOpenAfterMs: number;
  readonly isFailure: ((error: unknown) => boolean) | undefined;
  readonly now: () => number;
}

export const DEFAULT_THRESHOLD = 3;
export const DEFAULT_WINDOW = 5;
export const DEFAULT_HALF_OPEN_AFTER_MS = 60_000;
export const DEFAULT_MAX_HALF_OPEN_AFTER_MS = 300_000;

type OptionRecord = Readonly<Record<string, unknown>>;

/** The option under its current name, or under its deprecated one; both at once is an error. */
function renamed(options: OptionRecord, name: string, deprecated: string): [name: string, value: unknown] {
  const value = options[name];
  const old = options[deprecated];
  if (old === undefined) return [name, value];
  if (value !== undefined) {
    throw new TypeError(`CircuitBreaker options "${name}" and "${deprecated}" (its deprecated name) were both given; give only "${name}"`);
  }
  return [deprecated, old];
}

function integerOption([name, value]: [string, unknown], fallback: number, min: number, minText: string): number {
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

/**
 * Validates options up front and fills in defaults; throws `TypeError`/`RangeError` naming the
 * option as the caller spelled it (a deprecated name is validated like the new one).
 */
export function resolveOptions(options: unknown): ResolvedOptions {
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw new TypeError(`CircuitBreaker options must be an object, got ${describeValue(options)}`);
  }
  const o = (options ?? {}) as OptionRecord;
  const window = integerOption(['window', o['window']], DEFAULT_WINDOW, 1, '1');
  const threshold = integerOption(['threshold', o['threshold']], DEFAULT_THRESHOLD, 1, '1');
  if (threshold > window) {
    throw new RangeError(`CircuitBreaker option "threshold" must be <= window (${window}), got ${threshold}`);
  }
  const first = renamed(o, 'halfOpenAfterMs', 'timeout');
  const halfOpenAfterMs = integerOption(first, DEFAULT_HALF_OPEN_AFTER_MS, 1, '1');
  const maxHalfOpenAfterMs = integerOption(
    renamed(o, 'maxHalfOpenAfterMs', 'maxBackoff'),
    Math.max(DEFAULT_MAX_HALF_OPEN_AFTER_MS, halfOpenAfterMs),
    halfOpenAfterMs,
    `${first[0]} (${halfOpenAfterMs})`,
  );
  return {
    threshold,
    window,
    halfOpenAfterMs,
    maxHalfOpenAfterMs,
    isFailure: functionOption('isFailure', o['isFailure']) as ((error: unknown) => boolean) | undefined,
    now: (functionOption('now', o['now']) as (() => number) | undefined) ?? Date.now,
  };
}
