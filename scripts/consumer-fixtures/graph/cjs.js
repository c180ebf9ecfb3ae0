// CommonJS consumer of @sdp/graph, run from the installed tarball as cjs.cjs (kept as .js here only
// because the repository's ESLint config type-checks .cjs files). The last stdout line is read by
// pack-and-consume.mjs.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- require() is what this consumer tests */
const assert = require('node:assert/strict');
const { DependencyGraph, isGraphError } = require('@sdp/graph');

const graph = new DependencyGraph().addNode('schema').addNode('api', ['schema']).addNode('ui', ['api']).addNode('docs');
const order = graph.topologicalOrder();
assert.deepEqual([...order].sort(), ['api', 'docs', 'schema', 'ui']);
assert.ok(order.indexOf('schema') < order.indexOf('api') && order.indexOf('api') < order.indexOf('ui'));
assert.equal(graph.levels().length, 3);

let cycle;
try {
  DependencyGraph.fromNodes([
    { id: 'a', dependsOn: ['b'] },
    { id: 'b', dependsOn: ['a'] },
  ]);
} catch (error) {
  cycle = error;
}
assert.ok(isGraphError(cycle) && cycle.code === 'GRAPH_CYCLE');

console.log(
  JSON.stringify({ resolved: require.resolve('@sdp/graph'), result: `topologicalOrder ${order.join(',')}; a cycle throws ${cycle.code}` }),
);
