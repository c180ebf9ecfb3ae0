// The benchmark DAGs, by index: every runner builds its own structures from the same list.
import { SeededRandom, randomDag } from '@sdp/internal/testing';

/** Node `i` has id `ids[i]` and depends on the nodes `deps[i]` (all earlier, so index order is topological). */
export interface Dag {
  readonly ids: readonly string[];
  readonly deps: readonly (readonly number[])[];
}

/**
 * The shared seeded generator's DAG (`randomDag` of `@sdp/internal/testing`): node i depends on 3 distinct
 * random earlier nodes (fewer for the first three).
 */
export function benchDag(size: number, seed: number): Dag {
  const nodes = randomDag(size, seed);
  const index = new Map(nodes.map((node, i) => [node.id, i]));
  return {
    ids: nodes.map((node) => node.id),
    deps: nodes.map((node) => node.dependsOn.map((id) => index.get(id)!)),
  };
}

/** Durations in whole ms, uniform in [min, max]. */
export function durations(size: number, seed: number, min: number, max: number): number[] {
  const random = new SeededRandom(seed);
  return Array.from({ length: size }, () => random.int(min, max));
}
