/**
 * The immutable, index-based form of a graph that every algorithm works on. Node `i` is the i-th
 * node inserted; adjacency is stored compressed (CSR): the neighbours of `i` are
 * `targets[offsets[i] .. offsets[i + 1])`, in ascending index order for dependents and in
 * first-mention order for dependencies.
 */
export interface Adjacency {
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
}

export interface GraphCore {
  readonly size: number;
  /** Ids by index; may be longer than `size` (a graph appends after a core was taken). */
  readonly ids: readonly string[];
  /** Index by id; may hold ids at or past `size` for the same reason. */
  readonly index: ReadonlyMap<string, number>;
  readonly dependencies: Adjacency;
  readonly dependents: Adjacency;
  /** Node indices in topological order (see `topologicalSort`). */
  readonly order: Int32Array;
  /** `position[i]`: where node `i` stands in `order`. */
  readonly position: Int32Array;
}

/** Reverses every edge of `adjacency`; each node's new neighbours come out in ascending index order. */
export function invert(size: number, adjacency: Adjacency): Adjacency {
  const offsets = new Int32Array(size + 1);
  const targets = new Int32Array(adjacency.targets.length);
  invertInto(size, adjacency.offsets, adjacency.targets, offsets, targets);
  return { offsets, targets };
}

/** A counting sort of the edges by target; a function of typed arrays only, so its optimised code depends on no object shape. */
function invertInto(size: number, offsets: Int32Array, targets: Int32Array, starts: Int32Array, inverted: Int32Array): void {
  for (const target of targets) starts[target + 1] = (starts[target + 1] ?? 0) + 1;
  for (let i = 0; i < size; i++) starts[i + 1] = (starts[i + 1] ?? 0) + (starts[i] ?? 0);
  const next = starts.slice(0, size);
  for (let source = 0; source < size; source++) {
    const end = offsets[source + 1] ?? 0;
    for (let e = offsets[source] ?? 0; e < end; e++) {
      const target = targets[e] ?? 0;
      const slot = next[target] ?? 0;
      inverted[slot] = source;
      next[target] = slot + 1;
    }
  }
}

export function positionsOf(order: Int32Array): Int32Array {
  const position = new Int32Array(order.length);
  for (let p = 0; p < order.length; p++) position[order[p] ?? 0] = p;
  return position;
}

/**
 * The index of node `id` among the first `size` entries of `index`, or a TypeError naming
 * `operation` when there is no such node.
 */
export function lookupIndex(index: ReadonlyMap<string, number>, size: number, id: unknown, operation: string): number {
  if (typeof id !== 'string') {
    throw new TypeError(`${operation}: expected a node id string, got ${typeof id}`);
  }
  const node = index.get(id);
  if (node === undefined || node >= size) {
    throw new TypeError(`${operation}: unknown node id ${JSON.stringify(id)}`);
  }
  return node;
}

export function indexOf(core: GraphCore, id: unknown, operation: string): number {
  return lookupIndex(core.index, core.size, id, operation);
}

/**
 * A flag per node, set for the ids in `completed` (an optional iterable of known ids). `label`
 * names the option in messages, e.g. `snapshot: completed`.
 */
export function completedFlags(core: GraphCore, completed: unknown, label: string): Uint8Array {
  const flags = new Uint8Array(core.size);
  if (completed === undefined) return flags;
  if (typeof completed === 'string' || !isIterable(completed)) {
    throw new TypeError(`${label} must be an iterable of node ids, got ${typeof completed}`);
  }
  for (const id of completed) flags[indexOf(core, id, label)] = 1;
  return flags;
}

export function isIterable(value: unknown): value is Iterable<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
}
