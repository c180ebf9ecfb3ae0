import { describe, expect, it } from 'vitest';
import { CircuitBreakerError, isCircuitBreakerError } from './circuit-breaker-error.js';
import { CircuitBreakerSnapshotError, isCircuitBreakerSnapshotError } from './circuit-breaker-snapshot-error.js';
import { CircuitOpenError, isCircuitOpenError } from './circuit-open-error.js';

describe('CircuitOpenError', () => {
  it('carries code, state and retryAfterMs with a readable message', () => {
    const error = new CircuitOpenError(1500, 'open');
    expect(error).toBeInstanceOf(CircuitBreakerError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'CircuitOpenError', code: 'BREAKER_OPEN', state: 'open', retryAfterMs: 1500 });
    expect(error.message).toBe('Circuit is open; a trial call is allowed in 1500 ms');
    expect(new CircuitOpenError(0, 'half-open').message).toBe('Circuit is half-open and its trial call is still running');
  });

  it('is recognised by its guard, also as a copy from another instance of the package', () => {
    expect(isCircuitOpenError(new CircuitOpenError(1, 'open'))).toBe(true);
    const foreign = Object.assign(new Error('x'), { name: 'CircuitOpenError', code: 'BREAKER_OPEN' });
    expect(isCircuitOpenError(foreign)).toBe(true);
    expect(isCircuitOpenError(new Error('x'))).toBe(false);
    expect(isCircuitOpenError({ name: 'CircuitOpenError', code: 'BREAKER_OPEN' })).toBe(false);
    expect(isCircuitOpenError(Object.assign(new Error('x'), { name: 'CircuitOpenError', code: 'CIRCUIT_OPEN' }))).toBe(false);
    expect(isCircuitOpenError(new CircuitBreakerSnapshotError('x'))).toBe(false);
    expect(isCircuitOpenError(null)).toBe(false);
    expect(isCircuitOpenError('BREAKER_OPEN')).toBe(false);
  });
});

describe('CircuitBreakerSnapshotError', () => {
  it('carries code and the offending path', () => {
    const error = new CircuitBreakerSnapshotError('"state" must be 0, 1 or 2, got 7', 'state');
    expect(error).toBeInstanceOf(CircuitBreakerError);
    expect(error).toMatchObject({ name: 'CircuitBreakerSnapshotError', code: 'BREAKER_INVALID_SNAPSHOT', path: 'state' });
    expect(error.message).toBe('Invalid circuit breaker snapshot: "state" must be 0, 1 or 2, got 7');
    expect('path' in new CircuitBreakerSnapshotError('expected an object')).toBe(false);
  });

  it('is recognised by its guard, also across package copies', () => {
    expect(isCircuitBreakerSnapshotError(new CircuitBreakerSnapshotError('x'))).toBe(true);
    const foreign = Object.assign(new Error('x'), { name: 'CircuitBreakerSnapshotError', code: 'BREAKER_INVALID_SNAPSHOT' });
    expect(isCircuitBreakerSnapshotError(foreign)).toBe(true);
    expect(isCircuitBreakerSnapshotError(new CircuitOpenError(1, 'open'))).toBe(false);
    expect(isCircuitBreakerSnapshotError(undefined)).toBe(false);
  });
});

describe('CircuitBreakerError', () => {
  it('its guard recognises every error of the package by code, and nothing else', () => {
    expect(isCircuitBreakerError(new CircuitOpenError(1, 'open'))).toBe(true);
    expect(isCircuitBreakerError(new CircuitBreakerSnapshotError('x'))).toBe(true);
    expect(isCircuitBreakerError(Object.assign(new Error('x'), { code: 'BREAKER_OPEN' }))).toBe(true);
    expect(isCircuitBreakerError(Object.assign(new Error('x'), { code: 'GRAPH_CYCLE' }))).toBe(false);
    expect(isCircuitBreakerError(new RangeError('x'))).toBe(false);
    expect(isCircuitBreakerError({ code: 'BREAKER_OPEN' })).toBe(false);
  });
});
