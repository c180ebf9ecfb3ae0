import { describe, expect, it } from 'vitest';
import { sortByPriority } from './sort-by-priority.js';

/** What `sortByPriority` must give: highest priority first, ties by the lower index. */
function expected(nodes: number[], priority: Float64Array): number[] {
  return [...nodes].sort((a, b) => (priority[b] ?? 0) - (priority[a] ?? 0) || a - b);
}

describe('sortByPriority', () => {
  it('sorts a few nodes (insertion sort) and many (the built-in sort) the same way, ties by index', () => {
    for (const count of [0, 1, 2, 5, 32, 33, 100]) {
      const priority = Float64Array.from({ length: count }, (_, node) => (node * 7) % 5);
      const nodes = Array.from({ length: count }, (_, i) => count - 1 - i);
      const buffer = new Int32Array(count + 3).fill(-1);
      buffer.set(nodes);
      sortByPriority(buffer, count, priority);
      expect([...buffer.subarray(0, count)]).toEqual(expected(nodes, priority));
      // Entries past `count` are left alone.
      expect([...buffer.subarray(count)]).toEqual([-1, -1, -1]);
    }
  });
});
