import { describeValue } from '@sdp/internal';
import type { Weight } from './chain-lengths.js';
import { chainLengthsOf, readWeights } from './chain-lengths.js';
import type { GraphCore } from './graph-core.js';
import { completedFlags, indexOf, lookupIndex } from './graph-core.js';
import { coreOf, type GraphCoreOwner } from './graph-core-owner.js';
import { heapPop, heapPush } from './index-heap.js';
import type { NodeStateOperation } from './node-state-error.js';
import { NodeStateError } from './node-state-error.js';
import { COMPLETED, FAILED, PENDING, READY, RUNNING, SKIPPED, statusName, type NodeStatus } from './node-status.js';
import { sortByPriority } from './sort-by-priority.js';

export interface ReadySetOptions {
  /**
   * Nodes already completed (e.g. restored from a checkpoint). Need not include their
   * dependencies: a node counts as completed because it is listed. Default: none.
   */
  readonly completed?: Iterable<string>;
  /**
   * Each node's priority; among ready nodes the highest goes first, ties by insertion order. Read
   * once per node when the set is created. Default: the node's chain length in nodes
   * (`graph.chainLengths()`), i.e. the longest remaining chain first. A scheduler with durations
   * passes `(id) => chains.get(id)` for `chains = graph.chainLengths(duration)`.
   */
  readonly priority?: Weight;
}

/**
 * The nodes a scheduler may start now, kept up to date incrementally: `complete` costs
 * O(out-degree + log n) per node it makes ready, `take`/`release` O(log n), and `fail` O(out-degree)
 * of each node it skips. It never rescans the graph. It works on the graph as it was when created;
 * nodes added later are not part of it.
 *
 * Unknown ids throw a TypeError; `complete`, `fail` and `release` on a node that is not `running`
 * throw a {@link NodeStateError}.
 */
export class ReadySet {
  readonly #core: GraphCore;
  readonly #ids: readonly string[];
  readonly #index: ReadonlyMap<string, number>;
  readonly #dependentOffsets: Int32Array;
  readonly #dependentTargets: Int32Array;
  readonly #status: Uint8Array;
  /** Dependencies not completed yet, per node. */
  readonly #waiting: Int32Array;
  readonly #priority: Float64Array;
  /** The ready nodes: a heap (see index-heap) of `#readyCount` entries. */
  readonly #heapNodes: Int32Array;
  readonly #heapKeys: Float64Array;
  /** Room for the nodes one `complete` makes ready (at most the largest out-degree). */
  readonly #madeReady: Int32Array;
  #readyCount = 0;
  #running = 0;

  /** Same as `graph.readySet(options)`; `graph` is a `DependencyGraph`. */
  constructor(graph: GraphCoreOwner, options: ReadySetOptions = {}) {
    const core = coreOf(graph, 'readySet');
    const given: unknown = options;
    if (typeof given !== 'object' || given === null) {
      throw new TypeError(`readySet: options must be an object, got ${describeValue(options)}`);
    }
    const completed = completedFlags(core, options.completed, 'readySet: options.completed');
    const priority =
      options.priority === undefined
        ? chainLengthsOf(core, readWeights(core, undefined, 'readySet: options.priority'))
        : readWeights(core, options.priority, 'readySet: options.priority');
    const size = core.size;
    this.#core = core;
    this.#ids = core.ids;
    this.#index = core.index;
    this.#dependentOffsets = core.dependents.offsets;
    this.#dependentTargets = core.dependents.targets;
    this.#priority = priority;
    this.#status = new Uint8Array(size);
    this.#waiting = new Int32Array(size);
    this.#heapNodes = new Int32Array(size);
    this.#heapKeys = new Float64Array(size);
    this.#madeReady = new Int32Array(widestFanOut(core.dependents.offsets, size));
    this.#fill(core.dependencies.offsets, core.dependencies.targets, completed);
  }

  /** Sets every node's status and count of dependencies not completed, and puts the nodes with none on the heap. */
  #fill(offsets: Int32Array, targets: Int32Array, completed: Uint8Array): void {
    const status = this.#status;
    // Without completed nodes, a node waits on all its dependencies: no need to look at them.
    const anyCompleted = completed.includes(1);
    for (let node = 0; node < status.length; node++) {
      if (completed[node] === 1) {
        status[node] = COMPLETED;
        continue;
      }
      const start = offsets[node] ?? 0;
      const end = offsets[node + 1] ?? 0;
      let count = end - start;
      if (anyCompleted) for (let e = start; e < end; e++) if (completed[targets[e] ?? 0] === 1) count--;
      this.#waiting[node] = count;
      if (count === 0) this.#makeReady(node);
    }
  }

  /** Ready nodes not taken yet. */
  get readyCount(): number {
    return this.#readyCount;
  }

  /** Nodes taken and not yet completed, failed or released. */
  get runningCount(): number {
    return this.#running;
  }

  /** Nothing ready and nothing running: every node is completed, failed or skipped. */
  get isFinished(): boolean {
    return this.#readyCount === 0 && this.#running === 0;
  }

  /** The ready node `take()` would return, without taking it. */
  peek(): string | undefined {
    return this.#readyCount === 0 ? undefined : this.#ids[this.#heapNodes[0] ?? 0];
  }

  /** Marks the highest-priority ready node running and returns it; `undefined` when none is ready. */
  take(): string | undefined {
    const ready = this.#readyCount;
    if (ready === 0) return undefined;
    const node = heapPop(this.#heapNodes, this.#heapKeys, ready);
    this.#readyCount = ready - 1;
    this.#status[node] = RUNNING;
    this.#running++;
    return this.#ids[node];
  }

  /** Puts a running node back among the ready ones (it was not started after all). */
  release(id: string): void {
    const node = this.#runningNode(id, 'release');
    this.#running--;
    this.#makeReady(node);
  }

  /** Marks a running node completed; returns the nodes this made ready, highest priority first. */
  complete(id: string): string[] {
    const node = this.#runningNode(id, 'complete');
    this.#status[node] = COMPLETED;
    this.#running--;
    // Counts down its dependents; those left waiting on nothing become ready.
    const madeReady = this.#madeReady;
    const offsets = this.#dependentOffsets;
    const targets = this.#dependentTargets;
    const end = offsets[node + 1] ?? 0;
    let count = 0;
    for (let e = offsets[node] ?? 0; e < end; e++) {
      const dependent = targets[e] ?? 0;
      const left = (this.#waiting[dependent] ?? 0) - 1;
      this.#waiting[dependent] = left;
      if (left === 0 && this.#status[dependent] === PENDING) {
        this.#makeReady(dependent);
        madeReady[count++] = dependent;
      }
    }
    if (count === 0) return [];
    const ids = this.#ids;
    if (count === 1) return [ids[madeReady[0] ?? 0] ?? ''];
    sortByPriority(madeReady, count, this.#priority);
    const made: string[] = [];
    for (let i = 0; i < count; i++) made.push(ids[madeReady[i] ?? 0] ?? '');
    return made;
  }

  /**
   * Marks a running node failed and skips every node that can no longer run because of it: its
   * dependents that are not completed, transitively (a node completed up front stops the walk).
   * Returns the newly skipped nodes in topological order.
   */
  fail(id: string): string[] {
    const node = this.#runningNode(id, 'fail');
    const status = this.#status;
    status[node] = FAILED;
    this.#running--;
    const skipped: number[] = [];
    const offsets = this.#dependentOffsets;
    const targets = this.#dependentTargets;
    // `skipped` doubles as the breadth-first queue.
    for (let head = -1; head < skipped.length; head++) {
      const from = head === -1 ? node : (skipped[head] ?? 0);
      const end = offsets[from + 1] ?? 0;
      for (let e = offsets[from] ?? 0; e < end; e++) {
        const dependent = targets[e] ?? 0;
        // A dependent of a failed or skipped node waits on it, so it is pending, skipped or completed.
        if (status[dependent] !== PENDING) continue;
        status[dependent] = SKIPPED;
        skipped.push(dependent);
      }
    }
    const { position } = this.#core;
    return skipped.sort((a, b) => (position[a] ?? 0) - (position[b] ?? 0)).map((skip) => this.#ids[skip] ?? '');
  }

  status(id: string): NodeStatus {
    return statusName(this.#status[indexOf(this.#core, id, 'status')] ?? PENDING);
  }

  #makeReady(node: number): void {
    this.#status[node] = READY;
    heapPush(this.#heapNodes, this.#heapKeys, this.#readyCount++, node, this.#priority[node] ?? 0);
  }

  #runningNode(id: string, operation: NodeStateOperation): number {
    const node = lookupIndex(this.#index, this.#status.length, id, operation);
    const status = this.#status[node] ?? PENDING;
    if (status !== RUNNING) throw new NodeStateError(operation, id, statusName(status));
    return node;
  }
}

/** The largest number of dependents of any node. */
function widestFanOut(offsets: Int32Array, size: number): number {
  let widest = 0;
  for (let node = 0; node < size; node++) widest = Math.max(widest, (offsets[node + 1] ?? 0) - (offsets[node] ?? 0));
  return widest;
}
