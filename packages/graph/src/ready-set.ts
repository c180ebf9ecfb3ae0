import type { Weight } from './chain-lengths.js';
import { chainLengthsOf, readWeights } from './chain-lengths.js';
import type { DependencyGraph } from './dependency-graph.js';
import type { GraphCore } from './graph-core.js';
import { completedFlags, coreOf, indexOf } from './graph-core.js';
import { IndexHeap } from './index-heap.js';
import type { NodeStateOperation } from './node-state-error.js';
import { NodeStateError } from './node-state-error.js';
import { describeValue } from './node-id.js';

/**
 * Where a node stands in a {@link ReadySet}: `pending` (a dependency is not completed yet),
 * `ready`, `running` (taken), `completed`, `failed`, or `skipped` (a dependency failed or was skipped).
 */
export type NodeStatus = 'pending' | 'ready' | 'running' | 'completed' | 'failed' | 'skipped';

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

const PENDING = 0;
const READY = 1;
const RUNNING = 2;
const COMPLETED = 3;
const FAILED = 4;
const SKIPPED = 5;
const STATUS_NAMES: readonly NodeStatus[] = ['pending', 'ready', 'running', 'completed', 'failed', 'skipped'];

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
  readonly #status: Uint8Array;
  /** Dependencies not completed yet, per node. */
  readonly #waiting: Int32Array;
  readonly #priority: Float64Array;
  readonly #heap: IndexHeap;
  #running = 0;

  /** Same as `graph.readySet(options)`. */
  constructor(graph: DependencyGraph, options: ReadySetOptions = {}) {
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
    this.#core = core;
    this.#priority = priority;
    this.#status = new Uint8Array(core.size);
    this.#waiting = new Int32Array(core.size);
    this.#heap = new IndexHeap(core.size, (a, b) => this.#before(a, b));
    const { offsets, targets } = core.dependencies;
    for (let node = 0; node < core.size; node++) {
      if (completed[node] === 1) {
        this.#status[node] = COMPLETED;
        continue;
      }
      let waiting = 0;
      const end = offsets[node + 1] ?? 0;
      for (let e = offsets[node] ?? 0; e < end; e++) if (completed[targets[e] ?? 0] !== 1) waiting++;
      this.#waiting[node] = waiting;
      if (waiting === 0) {
        this.#status[node] = READY;
        this.#heap.push(node);
      }
    }
  }

  /** Ready nodes not taken yet. */
  get readyCount(): number {
    return this.#heap.size;
  }

  /** Nodes taken and not yet completed, failed or released. */
  get runningCount(): number {
    return this.#running;
  }

  /** Nothing ready and nothing running: every node is completed, failed or skipped. */
  get isFinished(): boolean {
    return this.#heap.size === 0 && this.#running === 0;
  }

  /** The ready node `take()` would return, without taking it. */
  peek(): string | undefined {
    const node = this.#heap.peek();
    return node === -1 ? undefined : this.#core.ids[node];
  }

  /** Marks the highest-priority ready node running and returns it; `undefined` when none is ready. */
  take(): string | undefined {
    const node = this.#heap.pop();
    if (node === -1) return undefined;
    this.#status[node] = RUNNING;
    this.#running++;
    return this.#core.ids[node];
  }

  /** Puts a running node back among the ready ones (it was not started after all). */
  release(id: string): void {
    const node = this.#runningNode(id, 'release');
    this.#status[node] = READY;
    this.#running--;
    this.#heap.push(node);
  }

  /** Marks a running node completed; returns the nodes this made ready, highest priority first. */
  complete(id: string): string[] {
    const node = this.#runningNode(id, 'complete');
    this.#status[node] = COMPLETED;
    this.#running--;
    const madeReady: number[] = [];
    const { offsets, targets } = this.#core.dependents;
    const end = offsets[node + 1] ?? 0;
    for (let e = offsets[node] ?? 0; e < end; e++) {
      const dependent = targets[e] ?? 0;
      const waiting = (this.#waiting[dependent] ?? 0) - 1;
      this.#waiting[dependent] = waiting;
      if (waiting === 0 && this.#status[dependent] === PENDING) {
        this.#status[dependent] = READY;
        this.#heap.push(dependent);
        madeReady.push(dependent);
      }
    }
    if (madeReady.length > 1) madeReady.sort((a, b) => (this.#before(a, b) ? -1 : 1));
    return this.#idsOf(madeReady);
  }

  /**
   * Marks a running node failed and skips every node that can no longer run because of it: its
   * dependents that are not completed, transitively (a node completed up front stops the walk).
   * Returns the newly skipped nodes in topological order.
   */
  fail(id: string): string[] {
    const node = this.#runningNode(id, 'fail');
    this.#status[node] = FAILED;
    this.#running--;
    const skipped: number[] = [];
    const { offsets, targets } = this.#core.dependents;
    // `skipped` doubles as the breadth-first queue.
    for (let head = -1; head < skipped.length; head++) {
      const from = head === -1 ? node : (skipped[head] ?? 0);
      const end = offsets[from + 1] ?? 0;
      for (let e = offsets[from] ?? 0; e < end; e++) {
        const dependent = targets[e] ?? 0;
        // A dependent of a failed or skipped node waits on it, so it is pending, skipped or completed.
        if (this.#status[dependent] !== PENDING) continue;
        this.#status[dependent] = SKIPPED;
        skipped.push(dependent);
      }
    }
    const { position } = this.#core;
    return this.#idsOf(skipped.sort((a, b) => (position[a] ?? 0) - (position[b] ?? 0)));
  }

  status(id: string): NodeStatus {
    const status = this.#status[indexOf(this.#core, id, 'status')] ?? PENDING;
    return STATUS_NAMES[status] ?? 'pending';
  }

  #before(a: number, b: number): boolean {
    const pa = this.#priority[a] ?? 0;
    const pb = this.#priority[b] ?? 0;
    return pa > pb || (pa === pb && a < b);
  }

  #runningNode(id: string, operation: NodeStateOperation): number {
    const node = indexOf(this.#core, id, operation);
    const status = this.#status[node] ?? PENDING;
    if (status !== RUNNING) throw new NodeStateError(operation, id, STATUS_NAMES[status] ?? 'pending');
    return node;
  }

  #idsOf(nodes: readonly number[]): string[] {
    return nodes.map((node) => this.#core.ids[node] ?? '');
  }
}
