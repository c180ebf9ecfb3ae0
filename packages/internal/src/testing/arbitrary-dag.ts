import fc from 'fast-check';
/** A node as `@sdp/graph` takes it (structurally). */
export interface GraphNode {
  readonly id: string;
  readonly dependsOn: readonly string[];
}

/** Test data only: random graphs for property tests. */
export interface RandomGraph {
  readonly nodes: GraphNode[];
  /** Dependencies per id (de-duplicated), for reference implementations. */
  readonly dependsOn: ReadonlyMap<string, readonly string[]>;
}

function graphFrom(size: number, edges: readonly [number, number][], order: readonly number[]): RandomGraph {
  const ids = Array.from({ length: size }, (_, k) => `n${k}`);
  const raw = ids.map((): string[] => []);
  for (const [from, to] of edges) raw[from]?.push(ids[to] ?? '');
  const nodes = order.map((k) => ({ id: ids[k] ?? '', dependsOn: raw[k] ?? [] }));
  return { nodes, dependsOn: new Map(nodes.map((node) => [node.id, [...new Set(node.dependsOn)]])) };
}

const sized = (maxNodes: number) =>
  fc.integer({ min: 0, max: maxNodes }).chain((size) =>
    fc.record({
      size: fc.constant(size),
      edges: fc.array(fc.tuple(fc.nat({ max: Math.max(0, size - 1) }), fc.nat({ max: Math.max(0, size - 1) })), {
        maxLength: size * 3,
      }),
      order: fc.shuffledSubarray(
        Array.from({ length: size }, (_, k) => k),
        { minLength: size, maxLength: size },
      ),
    }),
  );

/**
 * A random DAG: node `n<k>` depends only on nodes with a smaller `k`, repeats included, and the
 * nodes come in shuffled order, so insertion order is usually not topological.
 */
export function arbitraryDag(maxNodes = 12): fc.Arbitrary<RandomGraph> {
  return sized(maxNodes).map(({ size, edges, order }) =>
    graphFrom(
      size,
      edges.filter(([a, b]) => a !== b).map(([a, b]) => [Math.max(a, b), Math.min(a, b)]),
      order,
    ),
  );
}

/** A random graph that may have cycles (but no self-dependencies). */
export function arbitraryGraph(maxNodes = 10): fc.Arbitrary<RandomGraph> {
  return sized(maxNodes).map(({ size, edges, order }) =>
    graphFrom(
      size,
      edges.filter(([a, b]) => a !== b),
      order,
    ),
  );
}

/** Every id reachable from `start` by following `next` (not `start` itself unless on a cycle). */
export function reachable(start: string, next: (id: string) => readonly string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...next(start)];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    if (seen.has(id)) continue;
    seen.add(id);
    queue.push(...next(id));
  }
  return seen;
}
