import { SeededRandom } from './seeded-random.js';

export interface RandomDagOptions {
  /** Dependencies per node, at most (fewer near the start). Default 3. */
  readonly maxDependencies?: number;
  /** Dependencies come from the previous `window` nodes: long chains, not one line. Default: all earlier nodes. */
  readonly window?: number;
  /** Id of node `i`. Default `n<i>`. */
  readonly idOf?: (index: number) => string;
  /** Shuffle the result so that dependents often come before their dependencies. Default false. */
  readonly shuffle?: boolean;
}

export interface RandomDagNode {
  readonly id: string;
  readonly dependsOn: string[];
}

/**
 * The seeded random DAG of the benchmarks and large tests: node `i` depends on up to `maxDependencies`
 * distinct random earlier nodes. Same size and seed, same graph, on every platform.
 */
export function randomDag(size: number, seed: number, options: RandomDagOptions = {}): RandomDagNode[] {
  const { maxDependencies = 3, window = Number.POSITIVE_INFINITY, idOf = (index: number) => `n${index}`, shuffle = false } = options;
  const random = new SeededRandom(seed >>> 0);
  const ids = Array.from({ length: size }, (_, index) => idOf(index));
  const nodes = ids.map((id, index): RandomDagNode => {
    const dependsOn = new Set<string>();
    const span = Math.min(index, window);
    while (dependsOn.size < Math.min(index, maxDependencies)) {
      dependsOn.add(ids[index - 1 - Math.floor(random.next() * span)] ?? '');
    }
    return { id, dependsOn: [...dependsOn] };
  });
  if (shuffle) {
    for (let i = nodes.length - 1; i > 0; i--) {
      const j = Math.floor(random.next() * (i + 1));
      const swap = nodes[j];
      if (swap === undefined) continue;
      nodes[j] = nodes[i] ?? swap;
      nodes[i] = swap;
    }
  }
  return nodes;
}
