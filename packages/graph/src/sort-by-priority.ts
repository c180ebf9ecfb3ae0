/** Sorts `nodes[0 .. count)` by priority, highest first, ties by the lower index: by insertion while there are few (the usual case). */
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
