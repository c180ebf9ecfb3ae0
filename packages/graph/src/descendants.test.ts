import { describe, expect, it } from 'vitest';
import { DependencyGraph } from './dependency-graph.js';
import { descendantsOf } from './descendants.js';
import { coreOf } from './graph-core-owner.js';

describe('descendantsOf', () => {
  it('finds direct and transitive dependents once each, in topological order, without the start', () => {
    // d depends on b and c, both on a; e on d; f stands alone. Inserted out of topological order.
    const graph = DependencyGraph.fromNodes([
      { id: 'e', dependsOn: ['d'] },
      { id: 'd', dependsOn: ['c', 'b'] },
      { id: 'c', dependsOn: ['a'] },
      { id: 'b', dependsOn: ['a'] },
      { id: 'a' },
      { id: 'f' },
    ]);
    const core = coreOf(graph, 'test');
    const ids = (nodes: number[]) => nodes.map((node) => core.ids[node]);
    expect(ids(descendantsOf(core, core.index.get('a') ?? -1))).toEqual(['c', 'b', 'd', 'e']);
    expect(ids(descendantsOf(core, core.index.get('e') ?? -1))).toEqual([]);
    expect(ids(descendantsOf(core, core.index.get('f') ?? -1))).toEqual([]);
  });
});
