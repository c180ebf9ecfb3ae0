import { describe, expect, it } from 'vitest';
import { invert } from './graph-core.js';
import { topologicalSort } from './topological-sort.js';

const dependencies = (lists: number[][]) => ({
  offsets: Int32Array.from([0, ...lists.map((_, i) => lists.slice(0, i + 1).flat().length)]),
  targets: Int32Array.from(lists.flat()),
});

const sort = (lists: number[][]) => {
  const deps = dependencies(lists);
  return Array.from(topologicalSort(lists.length, deps, invert(lists.length, deps)));
};

describe('topologicalSort', () => {
  it('places the earliest inserted available node first', () => {
    // 0 needs 3; 1 needs nothing; 2 needs 1; 3 needs nothing.
    expect(sort([[3], [], [1], []])).toEqual([1, 2, 3, 0]);
  });

  it('leaves out the nodes on or behind a cycle', () => {
    // 0 <-> 1 form a cycle, 2 needs 0, 3 is free.
    expect(sort([[1], [0], [0], []])).toEqual([3]);
  });
});
