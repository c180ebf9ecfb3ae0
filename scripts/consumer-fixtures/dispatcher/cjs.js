// CommonJS consumer of @sdp/dispatcher (and of its sibling @sdp/graph), run from the installed tarballs
// as cjs.cjs (kept as .js here only because the repository's ESLint config type-checks .cjs files).
// The last stdout line is read by pack-and-consume.mjs.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- require() is what this consumer tests */
const assert = require('node:assert/strict');
const { Dispatcher } = require('@sdp/dispatcher');
const { DependencyGraph } = require('@sdp/graph');

async function main() {
  const graph = DependencyGraph.fromNodes([
    { id: 'schema' },
    { id: 'api', dependsOn: ['schema'] },
    { id: 'ui', dependsOn: ['api', 'schema'] },
  ]);
  const dispatcher = new Dispatcher(graph, { featureId: 'F001', checkpoint: false, concurrency: 2 });
  const ran = [];
  const report = await dispatcher.run(async (id, { signal }) => {
    signal.throwIfAborted();
    await Promise.resolve();
    ran.push(id);
  });

  assert.equal(report.outcome, 'completed');
  assert.deepEqual(report.totals, { completed: 3, failed: 0, skipped: 0, cancelled: 0, 'not-run': 0 });
  assert.deepEqual(ran, ['schema', 'api', 'ui']);
  assert.equal(report.checkpoint, undefined);
  assert.equal(dispatcher.checkpointPath, undefined);

  console.log(
    JSON.stringify({
      resolved: require.resolve('@sdp/dispatcher'),
      result: `run ${ran.join(' → ')}: ${report.outcome}, ${report.totals.completed} completed, no checkpoint`,
    }),
  );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
