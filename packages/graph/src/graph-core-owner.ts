import type { GraphCore } from './graph-core.js';

let readCore: (owner: GraphCoreOwner) => GraphCore;

/**
 * The base class of `DependencyGraph`: it holds, in a private field, how to get the graph's core
 * (its index-based form), so that a `ReadySet` can be built from a graph's core without the core
 * being public and without ready-set.ts importing dependency-graph.ts.
 */
export class GraphCoreOwner {
  readonly #core: () => GraphCore;

  constructor(core: () => GraphCore) {
    this.#core = core;
  }

  static {
    readCore = (owner) => owner.#core();
  }
}

/** The core of `graph`, or a TypeError naming `operation` when it is not a `DependencyGraph`. */
export function coreOf(graph: unknown, operation: string): GraphCore {
  if (!(graph instanceof GraphCoreOwner)) throw new TypeError(`${operation}: expected a DependencyGraph`);
  return readCore(graph);
}
