import type { Adjacency } from './graph-core.js';
import { addIndex, minIndexSet, popLowest } from './min-index-set.js';

/**
 * The order of Kahn's algorithm, always placing the lowest index whose dependencies are all placed. So the
 * result is the smallest order by insertion index, and a graph whose insertion order is already
 * topological comes back in insertion order. Returns the placed nodes; fewer than `size` exactly
 * when there is a cycle (the rest are on or behind one). O(V log32 V + E).
 */
export function topologicalSort(size: number, dependencies: Adjacency, dependents: Adjacency): Int32Array {
  // Graphs are mostly written dependencies first; then insertion order is the answer, found in one pass.
  if (dependenciesComeFirst(size, dependencies.offsets, dependencies.targets)) return insertionOrder(size);
  return kahnSort(size, dependencies, dependents);
}

/** Kahn's algorithm itself (exported for tests: `topologicalSort` must give what it gives). */
export function kahnSort(size: number, dependencies: Adjacency, dependents: Adjacency): Int32Array {
  const waiting = new Int32Array(size);
  const ready = minIndexSet(size);
  countDependencies(dependencies.offsets, waiting, ready);
  return place(ready, waiting, dependents.offsets, dependents.targets);
}

/*
 * The loops are functions of typed arrays only: each is optimised on its own, and its optimised
 * code depends on no object shape (see analyse-nodes).
 */

/** Whether every node's dependencies were inserted before it. */
function dependenciesComeFirst(size: number, offsets: Int32Array, targets: Int32Array): boolean {
  for (let node = 0; node < size; node++) {
    const end = offsets[node + 1] ?? 0;
    for (let e = offsets[node] ?? 0; e < end; e++) if ((targets[e] ?? 0) >= node) return false;
  }
  return true;
}

function insertionOrder(size: number): Int32Array {
  const order = new Int32Array(size);
  for (let node = 0; node < size; node++) order[node] = node;
  return order;
}

/** Sets each node's count of dependencies; the nodes without any are ready. */
function countDependencies(offsets: Int32Array, waiting: Int32Array, ready: Int32Array): void {
  for (let i = 0; i < waiting.length; i++) {
    const count = (offsets[i + 1] ?? 0) - (offsets[i] ?? 0);
    waiting[i] = count;
    if (count === 0) addIndex(ready, i);
  }
}

/** Kahn's main loop: returns the nodes placed, in order. */
function place(ready: Int32Array, waiting: Int32Array, offsets: Int32Array, targets: Int32Array): Int32Array {
  const order = new Int32Array(waiting.length);
  let placed = 0;
  for (let node = popLowest(ready); node !== -1; node = popLowest(ready)) {
    order[placed++] = node;
    const end = offsets[node + 1] ?? 0;
    for (let e = offsets[node] ?? 0; e < end; e++) {
      const dependent = targets[e] ?? 0;
      const left = (waiting[dependent] ?? 0) - 1;
      waiting[dependent] = left;
      if (left === 0) addIndex(ready, dependent);
    }
  }
  return order.subarray(0, placed);
}
