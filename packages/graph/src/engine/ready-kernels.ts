// Engine trick, kept for the scheduling-overhead targets (docs/benchmarks.md): a ready set's hot loops are plain functions of typed
// arrays with many parameters, so their optimised code depends on no object shape and survives a GC that drops one.
import { heapPush } from '../index-heap.js';
import { COMPLETED, PENDING, READY } from '../node-status.js';

/**
 * Sets every node's status and count of dependencies not completed, and puts the nodes with none
 * on the heap. Returns how many are ready.
 */
export function fillReady(
  offsets: Int32Array,
  targets: Int32Array,
  completed: Uint8Array,
  priority: Float64Array,
  status: Uint8Array,
  waiting: Int32Array,
  heapNodes: Int32Array,
  heapKeys: Float64Array,
): number {
  // Without completed nodes, a node waits on all its dependencies: no need to look at them.
  const anyCompleted = completed.includes(1);
  let ready = 0;
  for (let node = 0; node < status.length; node++) {
    if (completed[node] === 1) {
      status[node] = COMPLETED;
      continue;
    }
    const start = offsets[node] ?? 0;
    const end = offsets[node + 1] ?? 0;
    let count = end - start;
    if (anyCompleted) for (let e = start; e < end; e++) if (completed[targets[e] ?? 0] === 1) count--;
    waiting[node] = count;
    if (count === 0) {
      status[node] = READY;
      heapPush(heapNodes, heapKeys, ready++, node, priority[node] ?? 0);
    }
  }
  return ready;
}

/**
 * Counts down the dependents of a node just completed and puts those left waiting on nothing on the
 * heap (of `ready` entries) and into `madeReady`. Returns how many it made ready.
 */
export function completeDependents(
  node: number,
  offsets: Int32Array,
  targets: Int32Array,
  status: Uint8Array,
  waiting: Int32Array,
  priority: Float64Array,
  heapNodes: Int32Array,
  heapKeys: Float64Array,
  ready: number,
  madeReady: Int32Array,
): number {
  let count = 0;
  const end = offsets[node + 1] ?? 0;
  for (let e = offsets[node] ?? 0; e < end; e++) {
    const dependent = targets[e] ?? 0;
    const left = (waiting[dependent] ?? 0) - 1;
    waiting[dependent] = left;
    if (left === 0 && status[dependent] === PENDING) {
      status[dependent] = READY;
      heapPush(heapNodes, heapKeys, ready + count, dependent, priority[dependent] ?? 0);
      madeReady[count++] = dependent;
    }
  }
  return count;
}

/** Sorts `nodes[0 .. count)` by priority, highest first, ties by the lower index: insertion sort, as there are few. */
export function sortByPriority(nodes: Int32Array, count: number, priority: Float64Array): void {
  if (count > 32) {
    nodes.subarray(0, count).sort((a, b) => (priority[b] ?? 0) - (priority[a] ?? 0) || a - b);
    return;
  }
  for (let i = 1; i < count; i++) {
    const node = nodes[i] ?? 0;
    const key = priority[node] ?? 0;
    let at = i;
    for (; at > 0; at--) {
      const other = nodes[at - 1] ?? 0;
      const otherKey = priority[other] ?? 0;
      if (otherKey > key || (otherKey === key && other < node)) break;
      nodes[at] = other;
    }
    nodes[at] = node;
  }
}
