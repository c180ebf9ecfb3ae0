import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { invert } from './graph-core.js';
import { kahnSort, topologicalSort } from './topological-sort.js';

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

  it('returns insertion order when every dependency comes first', () => {
    expect(sort([[], [0], [0, 1], [], [3, 2]])).toEqual([0, 1, 2, 3, 4]);
  });

  it('sorts when a single dependency comes later', () => {
    expect(sort([[], [2], [], [1]])).toEqual([0, 2, 1, 3]);
  });

  // Any dependency lists over 0..size-1 (cycles and self-loops included): the shortcut for graphs
  // written dependencies first must never change the answer of Kahn's algorithm.
  it('gives what Kahn gives, for any dependency lists', () => {
    const lists = fc
      .integer({ min: 0, max: 12 })
      .chain((size) => fc.array(fc.uniqueArray(fc.nat(Math.max(0, size - 1)), { maxLength: 4 }), { minLength: size, maxLength: size }));
    fc.assert(
      // Half the cases keep only earlier dependencies, the shape the shortcut answers alone.
      fc.property(lists, fc.boolean(), (given, backwardOnly) => {
        const shaped = backwardOnly ? given.map((targets, node) => targets.filter((target) => target < node)) : given;
        const deps = dependencies(shaped);
        const dependents = invert(shaped.length, deps);
        expect(Array.from(topologicalSort(shaped.length, deps, dependents))).toEqual(Array.from(kahnSort(shaped.length, deps, dependents)));
      }),
    );
  });

  it('leaves out the nodes on or behind a cycle', () => {
    // 0 <-> 1 form a cycle, 2 needs 0, 3 is free.
    expect(sort([[1], [0], [0], []])).toEqual([3]);
  });
});
