// ESM consumer of @sdp/graph, run from the installed tarball. Named imports are checked when the module
// links; the last stdout line is read by pack-and-consume.mjs.
import assert from 'node:assert/strict';
import { DependencyGraph, isGraphError } from '@sdp/graph';

const graph = DependencyGraph.fromNodes([
  { id: 'schema' },
  { id: 'api', dependsOn: ['schema'] },
  { id: 'ui', dependsOn: ['api'] },
  { id: 'docs' },
]);
const order = graph.topologicalOrder();
assert.deepEqual([...order].sort(), ['api', 'docs', 'schema', 'ui']);
assert.ok(order.indexOf('schema') < order.indexOf('api') && order.indexOf('api') < order.indexOf('ui'));
assert.deepEqual(graph.criticalPath().path, ['schema', 'api', 'ui']);

const cycle = (() => {
  try {
    DependencyGraph.fromNodes([
      { id: 'a', dependsOn: ['b'] },
      { id: 'b', dependsOn: ['a'] },
    ]);
  } catch (error) {
    return error;
  }
  assert.fail('a cycle was accepted');
})();
assert.ok(isGraphError(cycle) && cycle.code === 'GRAPH_CYCLE');

console.log(
  JSON.stringify({
    resolved: import.meta.resolve('@sdp/graph'),
    result: `topologicalOrder ${order.join(',')}; a cycle throws ${cycle.code}`,
  }),
);
