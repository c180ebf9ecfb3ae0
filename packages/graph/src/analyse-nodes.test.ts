import { describe, expect, it } from 'vitest';
import { analyseNodes } from './analyse-nodes.js';

describe('analyseNodes', () => {
  it('keeps the valid part of the graph and separates cycles from other problems', () => {
    const analysed = analyseNodes([
      { id: 'a', dependsOn: ['b', 'x', 'a'] },
      { id: 'b', dependsOn: ['a'] },
      { id: 'a', dependsOn: ['c'] },
      { id: 'c' },
    ]);
    expect(analysed.ids).toEqual(['a', 'b', 'c']);
    expect(Array.from(analysed.dependencyTargets.view())).toEqual([1, 0]);
    expect(Array.from(analysed.dependencyOffsets.view())).toEqual([0, 1, 2, 2]);
    expect([...analysed.selfDependent]).toEqual(['a']);
    expect(analysed.issues.map((issue) => issue.code)).toEqual([
      'GRAPH_MISSING_DEPENDENCY',
      'GRAPH_SELF_DEPENDENCY',
      'GRAPH_DUPLICATE_NODE',
    ]);
    expect(analysed.cycles.map((issue) => issue.message)).toEqual(['cycle: a -> b -> a']);
    expect(Array.from(analysed.order)).toEqual([2]);
  });

  it('finds nothing wrong with a valid graph', () => {
    const analysed = analyseNodes([{ id: 'b', dependsOn: ['a', 'a'] }, { id: 'a' }]);
    expect([analysed.issues, analysed.cycles]).toEqual([[], []]);
    expect(Array.from(analysed.order)).toEqual([1, 0]);
  });

  it('keeps the first node of a repeated id and reports every repeat', () => {
    const analysed = analyseNodes([
      { id: 'a' },
      { id: 'b', dependsOn: ['a'] },
      { id: 'a', dependsOn: ['x'] },
      { id: 'c', dependsOn: ['b'] },
      { id: 'b' },
      { id: 'a' },
    ]);
    expect(analysed.ids).toEqual(['a', 'b', 'c']);
    expect([...analysed.index]).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 2],
    ]);
    expect(analysed.issues.map((issue) => issue.message)).toEqual([
      'duplicate node "a"',
      'node "a" depends on missing node "x"',
      'duplicate node "b"',
      'duplicate node "a"',
    ]);
  });

  it('drops repeats from long dependency lists, also past the room first set aside for edges', () => {
    const leaves = Array.from({ length: 12 }, (_, i) => `leaf${i}`);
    const rotated = (by: number) => [...leaves.slice(by), ...leaves.slice(0, by)];
    // Ten hubs on all twelve leaves, each list given twice: 122 edges for 23 nodes, well over three each.
    const hubs = Array.from({ length: 10 }, (_, h) => ({ id: `hub${h}`, dependsOn: [...rotated(h), ...rotated(h)] }));
    const analysed = analyseNodes([...hubs, { id: 'r', dependsOn: ['hub0', 'hub1', 'hub0'] }, ...leaves.map((id) => ({ id }))]);
    const offsets = Array.from(analysed.dependencyOffsets.view());
    const targets = Array.from(analysed.dependencyTargets.view());
    const leafIndex = (id: string) => 11 + leaves.indexOf(id);
    hubs.forEach((_, h) => {
      expect(targets.slice(offsets[h], offsets[h + 1])).toEqual(rotated(h).map(leafIndex));
    });
    expect(targets.slice(offsets[10], offsets[11])).toEqual([0, 1]);
    expect(offsets.at(-1)).toBe(122);
    expect([analysed.issues, analysed.cycles]).toEqual([[], []]);
  });
});
