// ESM consumer of @sdp/circuit-breaker, run from the installed tarball. Named imports are checked when
// the module links; the last stdout line is read by pack-and-consume.mjs.
import assert from 'node:assert/strict';
import { CircuitBreaker, isCircuitOpenError } from '@sdp/circuit-breaker';

let now = 0;
const breaker = new CircuitBreaker({ threshold: 1, window: 1, halfOpenAfterMs: 1000, now: () => now });
const transitions = [];
breaker.onStateChange(({ to }) => transitions.push(to));

assert.equal(await breaker.execute(() => Promise.resolve(42)), 42);
await assert.rejects(
  breaker.execute(() => Promise.reject(new Error('boom'))),
  /boom/,
);
assert.equal(breaker.state, 'open');
const rejected = await breaker.execute(() => 'never called').catch((error) => error);
assert.ok(isCircuitOpenError(rejected) && rejected.retryAfterMs === 1000);
now = 1000;
assert.equal(await breaker.execute(() => 'trial'), 'trial');
assert.deepEqual(transitions, ['open', 'half-open', 'closed']);

console.log(
  JSON.stringify({ resolved: import.meta.resolve('@sdp/circuit-breaker'), result: `execute 42, then ${transitions.join(' → ')}` }),
);
