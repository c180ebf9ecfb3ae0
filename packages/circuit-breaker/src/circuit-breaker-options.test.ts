import { describe, expect, it } from 'vitest';
import { resolveOptions } from './circuit-breaker-options.js';

describe('resolveOptions', () => {
  it('fills in the documented defaults', () => {
    const options = resolveOptions(undefined);
    expect(options).toMatchObject({
      threshold: 3,
      window: 5,
      halfOpenAfterMs: 60_000,
      maxHalfOpenAfterMs: 300_000,
      isFailure: undefined,
    });
    expect(options.now).toBe(Date.now);
  });

  it('defaults maxHalfOpenAfterMs to halfOpenAfterMs when that is above 5 minutes', () => {
    expect(resolveOptions({ halfOpenAfterMs: 600_000 }).maxHalfOpenAfterMs).toBe(600_000);
  });

  it('keeps given values', () => {
    const isFailure = (): boolean => true;
    const now = (): number => 1;
    expect(resolveOptions({ threshold: 1, window: 1, halfOpenAfterMs: 10, maxHalfOpenAfterMs: 10, isFailure, now })).toEqual({
      threshold: 1,
      window: 1,
      halfOpenAfterMs: 10,
      maxHalfOpenAfterMs: 10,
      isFailure,
      now,
    });
  });

  it('still takes the deprecated names timeout and maxBackoff, validated the same', () => {
    expect(resolveOptions({ timeout: 10, maxBackoff: 40 })).toMatchObject({ halfOpenAfterMs: 10, maxHalfOpenAfterMs: 40 });
    expect(resolveOptions({ timeout: 600_000 }).maxHalfOpenAfterMs).toBe(600_000);
    expect(resolveOptions({ halfOpenAfterMs: 10, maxBackoff: 40 })).toMatchObject({ halfOpenAfterMs: 10, maxHalfOpenAfterMs: 40 });
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
    [{ halfOpenAfterMs: 0 }, RangeError, 'CircuitBreaker option "halfOpenAfterMs" must be an integer >= 1, got 0'],
    [{ halfOpenAfterMs: Infinity }, RangeError, 'CircuitBreaker option "halfOpenAfterMs" must be an integer >= 1, got Infinity'],
    [{ halfOpenAfterMs: '1s' }, TypeError, 'CircuitBreaker option "halfOpenAfterMs" must be a number, got "1s"'],
    [
      { halfOpenAfterMs: 1000, maxHalfOpenAfterMs: 999 },
      RangeError,
      'CircuitBreaker option "maxHalfOpenAfterMs" must be an integer >= halfOpenAfterMs (1000), got 999',
    ],
    [
      { maxHalfOpenAfterMs: 1000 },
      RangeError,
      'CircuitBreaker option "maxHalfOpenAfterMs" must be an integer >= halfOpenAfterMs (60000), got 1000',
    ],
    // The deprecated names are validated the same, and named as the caller spelled them.
    [{ timeout: 0 }, RangeError, 'CircuitBreaker option "timeout" must be an integer >= 1, got 0'],
    [{ timeout: Infinity }, RangeError, 'CircuitBreaker option "timeout" must be an integer >= 1, got Infinity'],
    [{ timeout: 1000, maxBackoff: 999 }, RangeError, 'CircuitBreaker option "maxBackoff" must be an integer >= timeout (1000), got 999'],
    [{ maxBackoff: 1000 }, RangeError, 'CircuitBreaker option "maxBackoff" must be an integer >= halfOpenAfterMs (60000), got 1000'],
    [
      { timeout: 1000, halfOpenAfterMs: 1000 },
      TypeError,
      'CircuitBreaker options "halfOpenAfterMs" and "timeout" (its deprecated name) were both given; give only "halfOpenAfterMs"',
    ],
    [
      { maxBackoff: 1000, maxHalfOpenAfterMs: 2000 },
      TypeError,
      'CircuitBreaker options "maxHalfOpenAfterMs" and "maxBackoff" (its deprecated name) were both given; give only "maxHalfOpenAfterMs"',
    ],
    [{ isFailure: true }, TypeError, 'CircuitBreaker option "isFailure" must be a function, got true'],
    [{ now: 12 }, TypeError, 'CircuitBreaker option "now" must be a function, got 12'],
  ])('rejects %j', (options, ErrorClass, message) => {
    expect(() => resolveOptions(options)).toThrow(new ErrorClass(message));
    expect(() => resolveOptions(options)).toThrow(ErrorClass);
  });
});
