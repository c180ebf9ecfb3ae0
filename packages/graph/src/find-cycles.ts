import type { Adjacency } from './graph-core.js';

/** Bounds the work and the report for one tangle; breaking the cycles shown reveals any others. */
const MAX_CYCLES_PER_COMPONENT = 10;

/**
 * Cycles among the nodes that a topological sort could not place. Each strongly connected
 * component of more than one node yields a shortest cycle through its earliest node, then one
 * through each earliest node not yet on a reported cycle, up to 10 per component. A cycle follows
 * "depends on" edges and repeats its first node last. Components come in order of their earliest
 * node. Iterative throughout: no recursion, so long chains cannot overflow the stack.
 */
export function findCycles(size: number, dependencies: Adjacency, placed: Int32Array): number[][] {
  const inRegion = new Uint8Array(size).fill(1);
  for (const node of placed) inRegion[node] = 0;
  const cycles: number[][] = [];
  const components = stronglyConnectedComponents(size, dependencies, inRegion);
  if (components.length === 0) return cycles;

  const componentOf = new Int32Array(size).fill(-1);
  components.forEach((members, c) => {
    for (const node of members) componentOf[node] = c;
  });
  const search = new ShortestCycleSearch(size, dependencies, componentOf);
  const covered = new Uint8Array(size);
  components.forEach((members, c) => {
    let found = 0;
    for (const start of members) {
      if (found === MAX_CYCLES_PER_COMPONENT) break;
      if (covered[start] === 1) continue;
      const cycle = search.through(start, c);
      for (const node of cycle) covered[node] = 1;
      cycles.push(cycle);
      found++;
    }
  });
  return cycles;
}

/**
 * Tarjan's algorithm with an explicit call stack, over the nodes flagged in `inRegion`. Returns the
 * components of more than one node, each sorted by index, sorted by their earliest node.
 */
function stronglyConnectedComponents(size: number, dependencies: Adjacency, inRegion: Uint8Array): number[][] {
  const { offsets, targets } = dependencies;
  const discovery = new Int32Array(size).fill(-1);
  const low = new Int32Array(size);
  const onStack = new Uint8Array(size);
  const stack = new Int32Array(size);
  const callNode = new Int32Array(size);
  const callEdge = new Int32Array(size);
  const components: number[][] = [];
  let counter = 0;
  let stackSize = 0;

  for (let root = 0; root < size; root++) {
    if (inRegion[root] === 0 || discovery[root] !== -1) continue;
    let depth = 0;
    const enter = (node: number): void => {
      discovery[node] = counter;
      low[node] = counter++;
      stack[stackSize++] = node;
      onStack[node] = 1;
      callNode[depth] = node;
      callEdge[depth++] = offsets[node] ?? 0;
    };
    enter(root);
    while (depth > 0) {
      const node = callNode[depth - 1] ?? 0;
      const edge = callEdge[depth - 1] ?? 0;
      if (edge < (offsets[node + 1] ?? 0)) {
        callEdge[depth - 1] = edge + 1;
        const next = targets[edge] ?? 0;
        if (inRegion[next] === 0) continue;
        if (discovery[next] === -1) enter(next);
        else if (onStack[next] === 1) low[node] = Math.min(low[node] ?? 0, discovery[next] ?? 0);
        continue;
      }
      depth--;
      if (low[node] === discovery[node]) {
        const members: number[] = [];
        let member: number;
        do {
          member = stack[--stackSize] ?? 0;
          onStack[member] = 0;
          members.push(member);
        } while (member !== node);
        if (members.length > 1) components.push(members.sort((a, b) => a - b));
      }
      if (depth > 0) {
        const caller = callNode[depth - 1] ?? 0;
        low[caller] = Math.min(low[caller] ?? 0, low[node] ?? 0);
      }
    }
  }
  return components.sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0));
}

/** Breadth-first search for a shortest cycle through a node, inside its component. */
class ShortestCycleSearch {
  readonly #dependencies: Adjacency;
  readonly #componentOf: Int32Array;
  readonly #visited: Int32Array;
  readonly #parent: Int32Array;
  readonly #queue: Int32Array;
  #searches = 0;

  constructor(size: number, dependencies: Adjacency, componentOf: Int32Array) {
    this.#dependencies = dependencies;
    this.#componentOf = componentOf;
    this.#visited = new Int32Array(size).fill(-1);
    this.#parent = new Int32Array(size);
    this.#queue = new Int32Array(size);
  }

  /** `start` must lie in component `component` of more than one node, so a cycle exists. */
  through(start: number, component: number): number[] {
    const { offsets, targets } = this.#dependencies;
    const search = this.#searches++;
    const visited = this.#visited;
    const parent = this.#parent;
    const queue = this.#queue;
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    visited[start] = search;
    while (head < tail) {
      const node = queue[head++] ?? 0;
      const end = offsets[node + 1] ?? 0;
      for (let e = offsets[node] ?? 0; e < end; e++) {
        const next = targets[e] ?? 0;
        if (this.#componentOf[next] !== component) continue;
        if (next === start) return closeCycle(start, node, parent);
        if (visited[next] === search) continue;
        visited[next] = search;
        parent[next] = node;
        queue[tail++] = next;
      }
    }
    throw new Error(`internal error: no cycle through node index ${start}`);
  }
}

function closeCycle(start: number, last: number, parent: Int32Array): number[] {
  const cycle: number[] = [];
  for (let node = last; node !== start; node = parent[node] ?? start) cycle.push(node);
  cycle.push(start);
  cycle.reverse();
  cycle.push(start);
  return cycle;
}
