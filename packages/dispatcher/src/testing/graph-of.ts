import { DependencyGraph } from '@sdp/graph';

/** A graph from `{ id: [its dependencies] }`, in the object's key order. */
export function graphOf(edges: Record<string, string[]>): DependencyGraph {
  return DependencyGraph.fromNodes(Object.entries(edges).map(([id, dependsOn]) => ({ id, dependsOn })));
}
