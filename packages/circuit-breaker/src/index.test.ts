import { describe, expect, it } from 'vitest';
import * as breaker from './index.js';

describe('package entry', () => {
  it('exports exactly the public runtime API', () => {
    expect(Object.keys(breaker).sort()).toEqual([
      'CircuitBreaker',
      'CircuitBreakerError',
      'CircuitBreakerSnapshotError',
      'CircuitOpenError',
      'isCircuitBreakerError',
      'isCircuitBreakerSnapshotError',
      'isCircuitOpenError',
    ]);
  });
});
