import { describe, expect, it } from 'vitest';
import { DependencyGraph } from './dependency-graph.js';
import { coreOf } from './graph-core-owner.js';
import { levelsOf } from './levels.js';

describe('levelsOf', () => {
  it('puts each node one wave after its deepest dependency, waves in insertion order', () => {
    const graph = DependencyGraph.fromNodes([
      { id: 'late', dependsOn: ['mid', 'root'] },
      { id: 'mid', dependsOn: ['root'] },
      { id: 'root' },
      { id: 'free' },
    ]);
    expect(levelsOf(coreOf(graph, 'test'))).toEqual([[2, 3], [1], [0]]);
  });

  it('has no waves for an empty graph', () => {
    expect(levelsOf(coreOf(new DependencyGraph(), 'test'))).toEqual([]);
  });
});
