import type { GraphCore } from './graph-core.js';

/** Every node that depends on `start` directly or transitively (not `start` itself), in topological order. O(V + E) at most. */
export function descendantsOf(core: GraphCore, start: number): number[] {
  const seen = new Uint8Array(core.size);
  const found: number[] = [];
  const { offsets, targets } = core.dependents;
  // `found` doubles as the breadth-first queue.
  for (let head = -1; head < found.length; head++) {
    const from = head === -1 ? start : (found[head] ?? 0);
    const end = offsets[from + 1] ?? 0;
    for (let e = offsets[from] ?? 0; e < end; e++) {
      const dependent = targets[e] ?? 0;
      if (seen[dependent] === 1) continue;
      seen[dependent] = 1;
      found.push(dependent);
    }
  }
  const { position } = core;
  return found.sort((a, b) => (position[a] ?? 0) - (position[b] ?? 0));
}
