import { describeValue } from '@sdp/internal';
import type { AnalysedNodes } from './analyse-nodes.js';
import { analyseNodes } from './analyse-nodes.js';
import type { Weight } from './chain-lengths.js';
import { chainLengthsOf, criticalPathOf, readWeights } from './chain-lengths.js';
import { descendantsOf } from './descendants.js';
import { fingerprintOf } from './fingerprint.js';
import type { GraphCore } from './graph-core.js';
import { completedFlags, indexOf, invert, isIterable, lookupIndex, positionsOf } from './graph-core.js';
import { GraphCoreOwner } from './graph-core-owner.js';
import type { GraphIssue } from './graph-error.js';
import {
  duplicateNodeIssue,
  GraphError,
  invalidDependencyIdIssue,
  invalidIdIssue,
  missingDependencyIssue,
  selfDependencyIssue,
} from './graph-error.js';
import type { GraphSnapshot } from './graph-snapshot.js';
import { edgeIssues, readSnapshotParts, writeSnapshot } from './graph-snapshot.js';
import { IntList } from './int-list.js';
import { levelsOf } from './levels.js';
import { nodeIdProblem } from './node-id.js';
import type { ReadySetOptions } from './ready-set.js';
import { ReadySet } from './ready-set.js';
import { topologicalSort } from './topological-sort.js';

/** A node as given to {@link DependencyGraph.fromNodes}: its id and the ids it depends on. */
export interface GraphNode {
  readonly id: string;
  /** Repeated ids count once. Default: none. */
  readonly dependsOn?: readonly string[];
}

/** The heaviest path through a graph and its total weight. */
export interface CriticalPath {
  /** Node ids in dependency order (each depends on the one before). Empty for an empty graph. */
  path: string[];
  length: number;
}

/** The nodes of `fromNodes` as an array (an array as it is, no copy); their shape is checked by the analysis. */
function readNodeInputs(nodes: unknown): readonly unknown[] {
  if (!isIterable(nodes)) {
    throw new TypeError(`fromNodes: nodes must be an iterable of { id, dependsOn }, got ${describeValue(nodes)}`);
  }
  return Array.isArray(nodes) ? (nodes as readonly unknown[]) : Array.from(nodes);
}

/** Each id to its value, in insertion order; `values` has one per node. */
function mapByNode(ids: readonly string[], values: Float64Array): Map<string, number> {
  const map = new Map<string, number>();
  for (let node = 0; node < values.length; node++) map.set(ids[node] ?? '', values[node] ?? 0);
  return map;
}

/**
 * A validated, acyclic dependency graph. Nodes keep their insertion order, which breaks every tie,
 * so the same nodes in the same order always give the same results. Nodes are only ever added,
 * never changed or removed; derived data (order, dependents, fingerprint) is computed on first use
 * and kept until the next `addNode`. Unknown ids given to a query throw a TypeError.
 */
export class DependencyGraph extends GraphCoreOwner {
  #ids: string[] = [];
  #index = new Map<string, number>();
  #dependencyOffsets = new IntList();
  #dependencyTargets = new IntList();
  #core: GraphCore | undefined;
  #fingerprint: string | undefined;

  /** An empty graph; see {@link DependencyGraph.addNode}. */
  constructor() {
    super(() => this.#getCore());
    this.#dependencyOffsets.push(0);
  }

  /**
   * Builds a graph from nodes in any order (a dependency may come after its dependent). Throws a
   * {@link GraphError} listing every problem: GRAPH_INVALID_ID, GRAPH_DUPLICATE_NODE, GRAPH_SELF_DEPENDENCY,
   * GRAPH_MISSING_DEPENDENCY, GRAPH_CYCLE. Throws a TypeError when the input is not an iterable of objects.
   */
  static fromNodes(nodes: Iterable<GraphNode>): DependencyGraph {
    const analysed = analyseNodes(readNodeInputs(nodes));
    const issues = [...analysed.issues, ...analysed.cycles];
    if (issues.length > 0) throw new GraphError(issues);
    return DependencyGraph.#fromAnalysed(analysed);
  }

  /**
   * Rebuilds a graph from a snapshot (e.g. parsed checkpoint JSON). Validates its shape
   * (GRAPH_INVALID_SNAPSHOT), the nodes as `fromNodes` does, and that `edges` agrees with every
   * `depends_on` (GRAPH_INVALID_SNAPSHOT), and throws one GraphError listing every problem. `null` is
   * accepted for an empty `nodes`, `edges`, `depends_on` or dependents list, as Go writes them.
   * `indegree` and `completed` are progress, checked for type only and not kept.
   */
  static fromSnapshot(snapshot: GraphSnapshot): DependencyGraph {
    const { nodes, edges } = readSnapshotParts(snapshot);
    const analysed = analyseNodes(nodes);
    const issues = [...analysed.issues, ...edgeIssues(edges, analysed), ...analysed.cycles];
    if (issues.length > 0) throw new GraphError(issues);
    return DependencyGraph.#fromAnalysed(analysed);
  }

  static #fromAnalysed(analysed: AnalysedNodes): DependencyGraph {
    const graph = new DependencyGraph();
    graph.#ids = analysed.ids;
    graph.#index = analysed.index;
    graph.#dependencyOffsets = analysed.dependencyOffsets;
    graph.#dependencyTargets = analysed.dependencyTargets;
    graph.#core = {
      size: analysed.ids.length,
      ids: graph.#ids,
      index: graph.#index,
      dependencies: { offsets: analysed.dependencyOffsets.view(), targets: analysed.dependencyTargets.view() },
      dependents: analysed.dependents,
      order: analysed.order,
      position: positionsOf(analysed.order),
    };
    return graph;
  }

  /**
   * Adds a node whose dependencies are already in the graph, so the graph stays acyclic. Throws a
   * {@link GraphError} listing every problem (GRAPH_INVALID_ID, GRAPH_DUPLICATE_NODE, GRAPH_SELF_DEPENDENCY,
   * GRAPH_MISSING_DEPENDENCY) and leaves the graph unchanged.
   */
  addNode(id: string, dependsOn: readonly string[] = []): this {
    if (!Array.isArray(dependsOn)) {
      throw new TypeError(`addNode: dependsOn must be an array of ids, got ${describeValue(dependsOn)}`);
    }
    const issues: GraphIssue[] = [];
    const problem = nodeIdProblem(id);
    if (problem !== undefined) issues.push(invalidIdIssue(id, problem));
    if (this.#index.has(id)) issues.push(duplicateNodeIssue(id));
    const targets: number[] = [];
    const seen = new Set<unknown>();
    for (const dependency of dependsOn as readonly unknown[]) {
      if (seen.has(dependency)) continue;
      seen.add(dependency);
      const target = typeof dependency === 'string' ? this.#index.get(dependency) : undefined;
      if (dependency === id) issues.push(selfDependencyIssue(id));
      else if (target !== undefined) targets.push(target);
      else {
        const dependencyProblem = nodeIdProblem(dependency);
        issues.push(
          dependencyProblem === undefined
            ? missingDependencyIssue(id, dependency as string)
            : invalidDependencyIdIssue(id, dependency, dependencyProblem),
        );
      }
    }
    if (issues.length > 0) throw new GraphError(issues);

    this.#index.set(id, this.#ids.length);
    this.#ids.push(id);
    for (const target of targets) this.#dependencyTargets.push(target);
    this.#dependencyOffsets.push(this.#dependencyTargets.length);
    this.#core = undefined;
    this.#fingerprint = undefined;
    return this;
  }

  get size(): number {
    return this.#ids.length;
  }

  has(id: string): boolean {
    return this.#index.has(id);
  }

  /**
   * The position of `id` in `ids()` (its insertion order, which never changes), or -1 when the graph
   * has no such node. Lets a caller keep per-node data in arrays instead of maps keyed by id.
   */
  indexOf(id: string): number {
    return this.#index.get(id) ?? -1;
  }

  /** Every id, in insertion order. */
  ids(): readonly string[] {
    return [...this.#ids];
  }

  /** Every node in insertion order, `dependsOn` de-duplicated; `fromNodes(g.nodes())` rebuilds `g`. */
  nodes(): GraphNode[] {
    const dependencies = this.#dependencies();
    return this.#ids.map((id, node) => ({ id, dependsOn: this.#dependencyIds(node, dependencies) }));
  }

  /** The ids `id` depends on, de-duplicated, in the order first given. */
  dependenciesOf(id: string): readonly string[] {
    return this.#dependencyIds(lookupIndex(this.#index, this.#ids.length, id, 'dependenciesOf'));
  }

  /** The ids that depend on `id` directly, in insertion order. */
  dependentsOf(id: string): readonly string[] {
    const core = this.#getCore();
    const node = indexOf(core, id, 'dependentsOf');
    const { offsets, targets } = core.dependents;
    return Array.from(targets.subarray(offsets[node] ?? 0, offsets[node + 1] ?? 0), (dependent) => this.#idAt(dependent));
  }

  /** Everything that depends on `id` directly or transitively (not `id` itself), in topological order. */
  descendantsOf(id: string): string[] {
    const core = this.#getCore();
    return descendantsOf(core, indexOf(core, id, 'descendantsOf')).map((node) => this.#idAt(node));
  }

  /**
   * Every id, each after all its dependencies (Kahn's algorithm). Among nodes whose dependencies
   * are placed, the earliest inserted comes first, so a graph built with `addNode` comes back in
   * insertion order.
   */
  topologicalOrder(): string[] {
    return Array.from(this.#getCore().order, (node) => this.#idAt(node));
  }

  /** Waves of nodes that could run together: each node sits one wave after its deepest dependency. */
  levels(): string[][] {
    return levelsOf(this.#getCore()).map((wave) => wave.map((node) => this.#idAt(node)));
  }

  /**
   * The heaviest path (sum of node weights), e.g. the longest chain of work. Default weight: 1 per
   * node. Ties go to the earliest inserted node. `weight` is called once per node and must return a
   * non-negative finite number (else a RangeError).
   */
  criticalPath(weight?: Weight): CriticalPath {
    const core = this.#getCore();
    const { path, length } = criticalPathOf(core, readWeights(core, weight, 'criticalPath: weight'));
    return { path: path.map((node) => this.#idAt(node)), length };
  }

  /**
   * Per node (insertion order), the weight of the heaviest path starting at it through its
   * dependents, itself included: the longest remaining chain, a scheduler's natural priority.
   */
  chainLengths(weight?: Weight): Map<string, number> {
    const core = this.#getCore();
    return mapByNode(core.ids, chainLengthsOf(core, readWeights(core, weight, 'chainLengths: weight')));
  }

  /** A {@link ReadySet} over this graph as it is now. */
  readySet(options?: ReadySetOptions): ReadySet {
    return new ReadySet(this, options);
  }

  /**
   * The seed's `graph` JSON. `indegree` counts the dependencies not in `completed`; unknown ids in
   * `completed` throw a TypeError.
   */
  snapshot(completed?: Iterable<string>): GraphSnapshot {
    const core = this.#getCore();
    return writeSnapshot(core, completedFlags(core, completed, 'snapshot: completed'));
  }

  /**
   * `'sha256:<hex>'` of the structure: ids and their dependency sets. Independent of insertion
   * order, dependency order, repeats and progress; any added or removed node or edge changes it.
   */
  fingerprint(): string {
    this.#fingerprint ??= fingerprintOf(this.#ids, this.#index, this.#dependencies());
    return this.#fingerprint;
  }

  #dependencies(): GraphCore['dependencies'] {
    return { offsets: this.#dependencyOffsets.view(), targets: this.#dependencyTargets.view() };
  }

  #getCore(): GraphCore {
    if (this.#core === undefined) {
      const size = this.#ids.length;
      const dependencies = this.#dependencies();
      const dependents = invert(size, dependencies);
      // addNode only links to existing nodes, so the graph is acyclic and the sort places every node.
      const order = topologicalSort(size, dependencies, dependents);
      this.#core = {
        size,
        ids: this.#ids,
        index: this.#index,
        dependencies,
        dependents,
        order,
        position: positionsOf(order),
      };
    }
    return this.#core;
  }

  #dependencyIds(node: number, { offsets, targets } = this.#dependencies()): string[] {
    return Array.from(targets.subarray(offsets[node] ?? 0, offsets[node + 1] ?? 0), (dependency) => this.#idAt(dependency));
  }

  #idAt(node: number): string {
    return this.#ids[node] ?? '';
  }
}
