// CommonJS consumer of @sdp/circuit-breaker, run from the installed tarball as cjs.cjs (kept as .js
// here only because the repository's ESLint config type-checks .cjs files). The last stdout line is
// read by pack-and-consume.mjs.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- require() is what this consumer tests */
const assert = require('node:assert/strict');
const { CircuitBreaker, isCircuitOpenError } = require('@sdp/circuit-breaker');

async function main() {
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

  console.log(JSON.stringify({ resolved: require.resolve('@sdp/circuit-breaker'), result: `execute 42, then ${transitions.join(' → ')}` }));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
