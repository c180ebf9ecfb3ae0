export { CircuitBreaker } from './circuit-breaker.js';
export { CircuitBreakerError, isCircuitBreakerError, type CircuitBreakerErrorCode } from './circuit-breaker-error.js';
export type { CircuitBreakerOptions } from './circuit-breaker-options.js';
export type { CircuitBreakerSnapshot } from './circuit-breaker-snapshot.js';
export { CircuitBreakerSnapshotError, isCircuitBreakerSnapshotError } from './circuit-breaker-snapshot-error.js';
export type {
  CircuitFailureEvent,
  CircuitFailureKind,
  CircuitRejectEvent,
  CircuitStateChangeEvent,
  CircuitSuccessEvent,
} from './circuit-events.js';
export type { CircuitMetrics } from './circuit-metrics.js';
export { CircuitOpenError, isCircuitOpenError } from './circuit-open-error.js';
export type { CircuitState, CircuitStateCode } from './circuit-state.js';
export type { Clock, Dispose } from '@sdp/internal';
