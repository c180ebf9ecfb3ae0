// Type-checked against the published declarations in a fresh npm project, as consumer.mts and
// consumer.cts (module node16) and as consumer.ts (moduleResolution bundler): no top-level await and no
// import.meta, so the same text is valid ESM and CommonJS. The @ts-expect-error lines fail the
// compilation if the types resolve to `any`.
import {
  CircuitBreaker,
  isCircuitOpenError,
  type CircuitBreakerSnapshot,
  type CircuitMetrics,
  type CircuitState,
  type Dispose,
} from '@sdp/circuit-breaker';

const breaker = new CircuitBreaker({
  threshold: 2,
  window: 4,
  halfOpenAfterMs: 1000,
  isFailure: (error) => !(error instanceof RangeError),
});

export const state: CircuitState = breaker.state;
export const answer: Promise<number> = breaker.execute((signal) => {
  signal?.throwIfAborted();
  return 42;
});
export const metrics: CircuitMetrics = breaker.metrics();
export const snapshot: CircuitBreakerSnapshot = breaker.snapshot();
export const restored: CircuitBreaker = CircuitBreaker.fromSnapshot(snapshot, { threshold: 2, window: 4 });
export const stopListening: Dispose = breaker.onStateChange(({ from, to, at }) => {
  console.log(`${from} → ${to} at ${at}`);
});

export function retryAfter(error: unknown): number | undefined {
  return isCircuitOpenError(error) ? error.retryAfterMs : undefined;
}

// @ts-expect-error: threshold is a number
new CircuitBreaker({ threshold: '2' });
