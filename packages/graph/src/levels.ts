import type { GraphCore } from './graph-core.js';

/**
 * The waves of a graph: wave 0 holds the nodes without dependencies, wave k the nodes whose
 * deepest dependency is in wave k - 1. Every node of a wave could run together once the earlier
 * waves are done. Each wave lists its nodes in insertion order. O(V + E).
 */
export function levelsOf(core: GraphCore): number[][] {
  const level = new Int32Array(core.size);
  const { offsets, targets } = core.dependencies;
  let deepest = -1;
  for (const node of core.order) {
    let own = 0;
    const end = offsets[node + 1] ?? 0;
    for (let e = offsets[node] ?? 0; e < end; e++) own = Math.max(own, (level[targets[e] ?? 0] ?? 0) + 1);
    level[node] = own;
    deepest = Math.max(deepest, own);
  }
  const waves: number[][] = Array.from({ length: deepest + 1 }, () => []);
  level.forEach((own, node) => {
    waves[own]?.push(node);
  });
  return waves;
}
