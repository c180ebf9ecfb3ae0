// ESM consumer of @sdp/dispatcher (and of its sibling @sdp/graph), run from the installed tarballs.
// Named imports are checked when the module links; the last stdout line is read by pack-and-consume.mjs.
import assert from 'node:assert/strict';
import { Dispatcher } from '@sdp/dispatcher';
import { DependencyGraph } from '@sdp/graph';

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
    resolved: import.meta.resolve('@sdp/dispatcher'),
    result: `run ${ran.join(' → ')}: ${report.outcome}, ${report.totals.completed} completed, no checkpoint`,
  }),
);
