/**
 * A binary heap of node indices held in two parallel typed arrays: `nodes[0 .. size)` and each
 * one's key. The highest key comes out first, ties by the lower index. Plain functions over typed
 * arrays rather than a heap object: sifting reads neighbouring memory instead of looking keys up
 * by node, and optimised callers depend on no object shape, so nothing is re-optimised after a
 * garbage collection drops the shape of an object no longer alive. The caller owns `size` and
 * arrays with room for every node.
 */

/** Adds `node` with `key` to a heap of `size` entries (which becomes `size + 1`). */
export function heapPush(nodes: Int32Array, keys: Float64Array, size: number, node: number, key: number): void {
  let at = size;
  while (at > 0) {
    const parent = (at - 1) >> 1;
    const parentKey = keys[parent] ?? 0;
    const parentNode = nodes[parent] ?? 0;
    if (key < parentKey || (key === parentKey && node > parentNode)) break;
    nodes[at] = parentNode;
    keys[at] = parentKey;
    at = parent;
  }
  nodes[at] = node;
  keys[at] = key;
}

/** Removes and returns the first node of a heap of `size` > 0 entries (which becomes `size - 1`). */
export function heapPop(nodes: Int32Array, keys: Float64Array, size: number): number {
  const first = nodes[0] ?? -1;
  const rest = size - 1;
  const last = nodes[rest] ?? 0;
  const lastKey = keys[rest] ?? 0;
  // Floyd's variant: walk the hole down to a leaf along the better children, then sift the last
  // entry up from there. It usually belongs near the bottom, so this needs about half the comparisons.
  let at = 0;
  for (let child = 1; child < rest; child = 2 * at + 1) {
    let childKey = keys[child] ?? 0;
    const right = child + 1;
    if (right < rest) {
      const rightKey = keys[right] ?? 0;
      if (rightKey > childKey || (rightKey === childKey && (nodes[right] ?? 0) < (nodes[child] ?? 0))) {
        child = right;
        childKey = rightKey;
      }
    }
    nodes[at] = nodes[child] ?? 0;
    keys[at] = childKey;
    at = child;
  }
  while (at > 0) {
    const parent = (at - 1) >> 1;
    const parentKey = keys[parent] ?? 0;
    const parentNode = nodes[parent] ?? 0;
    if (lastKey < parentKey || (lastKey === parentKey && last > parentNode)) break;
    nodes[at] = parentNode;
    keys[at] = parentKey;
    at = parent;
  }
  nodes[at] = last;
  keys[at] = lastKey;
  return first;
}
