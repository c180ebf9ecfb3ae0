import { describe, expect, it } from 'vitest';
import { invert, lookupIndex, positionsOf } from './graph-core.js';

const adjacency = (lists: number[][]) => ({
  offsets: Int32Array.from([0, ...lists.map((_, i) => lists.slice(0, i + 1).flat().length)]),
  targets: Int32Array.from(lists.flat()),
});

describe('graph core', () => {
  it('inverts adjacency with each node’s new neighbours in ascending order', () => {
    const inverted = invert(4, adjacency([[3, 1], [], [1, 3], [1]]));
    const neighbours = (i: number) => Array.from(inverted.targets.subarray(inverted.offsets[i], inverted.offsets[i + 1]));
    expect([0, 1, 2, 3].map(neighbours)).toEqual([[], [0, 2, 3], [], [0, 2]]);
  });

  it('maps an order to positions', () => {
    expect(Array.from(positionsOf(Int32Array.from([2, 0, 1])))).toEqual([1, 2, 0]);
  });

  it('looks up only the first `size` nodes', () => {
    const index = new Map([
      ['a', 0],
      ['b', 1],
    ]);
    expect(lookupIndex(index, 2, 'b', 'op')).toBe(1);
    expect(() => lookupIndex(index, 1, 'b', 'op')).toThrow(new TypeError('op: unknown node id "b"'));
    expect(() => lookupIndex(index, 2, null, 'op')).toThrow(new TypeError('op: expected a node id string, got object'));
  });
});
