import { describe, expect, it } from 'vitest';
import { openDuration, resolveOptions } from './circuit-breaker-options.js';

describe('resolveOptions', () => {
  it('fills in the documented defaults', () => {
    const options = resolveOptions(undefined);
    expect(options).toMatchObject({ threshold: 3, window: 5, timeout: 60_000, maxBackoff: 300_000, isFailure: undefined });
    expect(options.now).toBe(Date.now);
  });

  it('defaults maxBackoff to timeout when timeout is above 5 minutes', () => {
    expect(resolveOptions({ timeout: 600_000 }).maxBackoff).toBe(600_000);
  });

  it('keeps given values', () => {
    const isFailure = (): boolean => true;
    const now = (): number => 1;
    expect(
      resolveOptions({ threshold: 1, window: 1, timeout: 10, maxBackoff: 10, isFailure, now }),
    ).toEqual({ threshold: 1, window: 1, timeout: 10, maxBackoff: 10, isFailure, now });
  });

  it.each([
    [null, TypeError, 'CircuitBreaker options must be an object, got null'],
    [[], TypeError, 'CircuitBreaker options must be an object, got an array'],
    [{ threshold: '3' }, TypeError, 'CircuitBreaker option "threshold" must be a number, got "3"'],
    [{ threshold: 0 }, RangeError, 'CircuitBreaker option "threshold" must be an integer >= 1, got 0'],
    [{ threshold: 1.5 }, RangeError, 'CircuitBreaker option "threshold" must be an integer >= 1, got 1.5'],
    [{ threshold: 6 }, RangeError, 'CircuitBreaker option "threshold" must be <= window (5), got 6'],
    [{ threshold: 3, window: 2 }, RangeError, 'CircuitBreaker option "threshold" must be <= window (2), got 3'],
    [{ window: 0 }, RangeError, 'CircuitBreaker option "window" must be an integer >= 1, got 0'],
    [{ window: Number.NaN }, RangeError, 'CircuitBreaker option "window" must be an integer >= 1, got NaN'],
    [{ timeout: 0 }, RangeError, 'CircuitBreaker option "timeout" must be an integer >= 1, got 0'],
    [{ timeout: Infinity }, RangeError, 'CircuitBreaker option "timeout" must be an integer >= 1, got Infinity'],
    [{ timeout: 1000, maxBackoff: 999 }, RangeError, 'CircuitBreaker option "maxBackoff" must be an integer >= timeout (1000), got 999'],
    [{ maxBackoff: 1000 }, RangeError, 'CircuitBreaker option "maxBackoff" must be an integer >= timeout (60000), got 1000'],
    [{ isFailure: true }, TypeError, 'CircuitBreaker option "isFailure" must be a function, got true'],
    [{ now: 12 }, TypeError, 'CircuitBreaker option "now" must be a function, got 12'],
  ])('rejects %j', (options, ErrorClass, message) => {
    expect(() => resolveOptions(options)).toThrow(new ErrorClass(message));
    expect(() => resolveOptions(options)).toThrow(ErrorClass);
  });
});

describe('openDuration', () => {
  it('doubles from timeout and stops at maxBackoff', () => {
    const options = resolveOptions({ timeout: 1000, maxBackoff: 5000 });
    expect([1, 2, 3, 4, 5, 60].map((n) => openDuration(options, n))).toEqual([1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it('stays at maxBackoff for absurd streaks (no overflow to NaN)', () => {
    const options = resolveOptions({});
    expect(openDuration(options, 5000)).toBe(300_000);
  });
});
