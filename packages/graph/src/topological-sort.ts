import type { Adjacency } from './graph-core.js';
import { IndexHeap } from './index-heap.js';

/**
 * Kahn's algorithm with a heap: among the nodes whose dependencies are all placed, the earliest
 * inserted goes next. So the result is the smallest order by insertion index, and a graph whose
 * insertion order is already topological comes back in insertion order. Returns the placed nodes;
 * fewer than `size` exactly when there is a cycle (the rest are on or behind one).
 * O((V + E) log V).
 */
export function topologicalSort(size: number, dependencies: Adjacency, dependents: Adjacency): Int32Array {
  const waiting = new Int32Array(size);
  const heap = new IndexHeap(size, (a, b) => a < b);
  for (let i = 0; i < size; i++) {
    const count = (dependencies.offsets[i + 1] ?? 0) - (dependencies.offsets[i] ?? 0);
    waiting[i] = count;
    if (count === 0) heap.push(i);
  }
  const order = new Int32Array(size);
  let placed = 0;
  const { offsets, targets } = dependents;
  while (heap.size > 0) {
    const node = heap.pop();
    order[placed++] = node;
    const end = offsets[node + 1] ?? 0;
    for (let e = offsets[node] ?? 0; e < end; e++) {
      const dependent = targets[e] ?? 0;
      const left = (waiting[dependent] ?? 0) - 1;
      waiting[dependent] = left;
      if (left === 0) heap.push(dependent);
    }
  }
  return order.subarray(0, placed);
}
